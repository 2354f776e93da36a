import asyncio


class Client:
    def __init__(self, jobs):
        self.jobs = jobs

    async def get(self, path):
        await asyncio.sleep(0)
        return self.jobs[path.rsplit("/", 1)[1]]


async def job_status(client, job_id):
    job = await client.get(f"/jobs/{job_id}")
    progress = job["done"] / job["total"] if job["total"] else 0.0
    return f"{job['state']}: {progress:.0%}"
