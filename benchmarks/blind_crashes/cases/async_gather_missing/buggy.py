import asyncio


async def lookup(store, key):
    await asyncio.sleep(0)
    return store.get(key)


async def fetch_all(store, keys):
    results = await asyncio.gather(*(lookup(store, key) for key in keys))
    return {key: result["value"] for key, result in zip(keys, results)}
