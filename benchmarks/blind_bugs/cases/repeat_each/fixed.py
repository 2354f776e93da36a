def repeat_each(text, times):
    return "".join(ch * times for ch in text)
