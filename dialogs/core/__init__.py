"""The engine's vocabulary and plumbing, which every feature and every adapter may rely on:
neutral events, cards and effects, the platform ports and the inbound `Concord` contract, the
action codec and message keys, the turn, the decision-log writer, durable timers and the clock.
It imports no feature package.
"""
