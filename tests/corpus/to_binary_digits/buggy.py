def to_base(n, base):
    digits = "0123456789ABCDEF"
    out = ""
    while n > 0:
        out = out + digits[n % base]
        n //= base
    return out or "0"
