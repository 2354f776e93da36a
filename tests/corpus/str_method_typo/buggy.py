def shout(message):
    return message.uper() + "!"
