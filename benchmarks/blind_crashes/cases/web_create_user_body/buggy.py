def create_user(request):
    body = request.get("json")
    email = body["email"].strip().lower()
    name = body.get("name") or email.split("@")[0]
    return {"status": 201, "email": email, "name": name}
