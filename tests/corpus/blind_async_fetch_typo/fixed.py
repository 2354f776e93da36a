async def fetch_all(client, urls):
    results = []
    for url in urls:
        results.append(await client.fetch(url))
    return results
