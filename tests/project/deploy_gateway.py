"""A stand-in for a real payment gateway's provider class, so `check --deploy` can run with demo mode off in a test."""


class Gateway:
    simulated = False
