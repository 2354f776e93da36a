def worker_queues(config):
    queues = config.get("queues", "default")
    queues = queues.split(",")
    return [queue.strip() for queue in queues if queue.strip()]
