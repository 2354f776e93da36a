def parse_signup_form(form):
    return {
        "email": form["email"].strip(),
        "newsletter": form["newsletter"] == "on",
        "age": int(form["age"]) if form.get("age") else None,
    }
