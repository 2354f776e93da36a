def worker_queues(config):
    queues = config.get("queues", "default")
    if isinstance(queues, str):
        queues = queues.split(",")
    return [queue.strip() for queue in queues if queue.strip()]
