def shout(message):
    return message.upper() + "!"
