async def load_rows(ids):
    if not ids:
        return None
    return [{"id": i, "amount": i * 10} for i in ids]


async def fetch_total(ids):
    rows = await load_rows(ids)
    return sum(row["amount"] for row in rows or [])
