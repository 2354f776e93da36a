async def fetch_all(client, urls):
    results = []
    for url in urls:
        results.append(await client.fetchh(url))
    return results
