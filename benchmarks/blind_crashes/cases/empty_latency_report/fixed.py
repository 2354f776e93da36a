def latency_report(samples):
    ordered = sorted(samples)
    if not ordered:
        return {"count": 0, "p50": None, "mean": None}
    p50 = ordered[len(ordered) // 2]
    mean = sum(ordered) / len(ordered)
    return {"count": len(ordered), "p50": p50, "mean": round(mean, 3)}
