def create_user(request):
    body = request.get("json") or {}
    if "email" not in body:
        return {"status": 400, "error": "email is required"}
    email = body["email"].strip().lower()
    name = body.get("name") or email.split("@")[0]
    return {"status": 201, "email": email, "name": name}
