def apply_coupon(price, coupon):
    if coupon and coupon["percent"] > 0:
        price = price * (100 - coupon["percent"]) / 100
    return round(price, 2)
