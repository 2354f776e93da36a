import asyncio


class Client:
    def __init__(self, responses):
        self.responses = responses

    async def get(self, path):
        await asyncio.sleep(0)
        return self.responses[path]


async def order_total(client, order_id):
    order = await client.get(f"/orders/{order_id}")
    return sum(line["price"] * line["qty"] for line in order["lines"])
