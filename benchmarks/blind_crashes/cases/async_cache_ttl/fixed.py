import asyncio


async def fetch_price(sku):
    await asyncio.sleep(0)
    return {"sku": sku, "price": len(sku) * 100}


async def cached_price(cache, sku, now):
    entry = cache.get(sku)
    if entry is None or now - entry["at"] > 60:
        entry = {"at": now, "data": await fetch_price(sku)}
        cache[sku] = entry
    return entry["data"]["price"]
