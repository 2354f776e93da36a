"""A small shop served by real servers in the tests: Flask (WSGI) and Starlette (ASGI)."""
