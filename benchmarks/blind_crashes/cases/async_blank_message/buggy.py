import asyncio
import json


class Reader:
    def __init__(self, lines):
        self.lines = list(lines)

    async def readline(self):
        await asyncio.sleep(0)
        return self.lines.pop(0) if self.lines else b""


async def next_message(reader):
    line = await reader.readline()
    message = json.loads(line)
    return message["text"].strip()
