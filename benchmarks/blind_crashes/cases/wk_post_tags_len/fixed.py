def summarize_post(post):
    title = post["title"].strip()
    tag_count = len(post.get("tags") or [])
    return f"{title} ({tag_count} tags)"
