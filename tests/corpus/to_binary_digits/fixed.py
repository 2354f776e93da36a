def to_base(n, base):
    digits = "0123456789ABCDEF"
    out = ""
    while n > 0:
        out = digits[n % base] + out
        n //= base
    return out or "0"
