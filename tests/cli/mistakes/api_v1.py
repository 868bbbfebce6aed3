metadata = {"apiLevel": "1.0"}


def run(protocol):
    pass
