def latency_report(samples):
    ordered = sorted(samples)
    p50 = ordered[len(ordered) // 2]
    mean = sum(ordered) / len(ordered)
    return {"count": len(ordered), "p50": p50, "mean": round(mean, 3)}
