"""Long-only SMA crossover on a one-minute CSV with backtrader: the peer of bench/backtrader.bench.ts.

The rules are Kestrel's `sma-cross` built-in: at each close, with d = SMA(fast) - SMA(slow) and the previous
bar's d, buy `size` at market when d crosses above zero (previous <= 0 < d) and nothing is held; sell the whole
position at market when d crosses below zero (previous >= 0 > d). Market orders fill at the next bar's open, no
fees, a cash account. Prints one JSON line: bars, fills, closed trades, final equity (cash + position at the
last close).

Usage: python3 backtrader_sma_cross.py FILE.csv [fast] [slow] [size] [cash]   (backtrader on PYTHONPATH)
"""

import json
import sys

import backtrader as bt


class SmaCross(bt.Strategy):
    params = dict(fast=10, slow=30, size=10.0)

    def __init__(self):
        self.fast = bt.indicators.SMA(self.data.close, period=self.p.fast)
        self.slow = bt.indicators.SMA(self.data.close, period=self.p.slow)
        self.previous = None
        self.fills = 0
        self.closed = 0

    def notify_order(self, order):
        if order.status == order.Completed:
            self.fills += 1

    def notify_trade(self, trade):
        if trade.isclosed:
            self.closed += 1

    def next(self):
        d = self.fast[0] - self.slow[0]
        before, self.previous = self.previous, d
        if before is None:
            return
        if before <= 0 < d:
            if self.position.size == 0:
                self.buy(size=self.p.size)
        elif before >= 0 > d and self.position.size > 0:
            self.sell(size=self.position.size)


def main(argv):
    path = argv[1]
    fast = int(argv[2]) if len(argv) > 2 else 10
    slow = int(argv[3]) if len(argv) > 3 else 30
    size = float(argv[4]) if len(argv) > 4 else 10.0
    cash = float(argv[5]) if len(argv) > 5 else 100000.0
    cerebro = bt.Cerebro(stdstats=False)
    feed = bt.feeds.GenericCSVData(
        dataname=path,
        dtformat='%Y-%m-%dT%H:%M:%SZ',
        timeframe=bt.TimeFrame.Minutes,
        compression=1,
        datetime=0, open=1, high=2, low=3, close=4, volume=5, openinterest=-1,
    )
    cerebro.adddata(feed)
    cerebro.addstrategy(SmaCross, fast=fast, slow=slow, size=size)
    cerebro.broker.setcash(cash)
    cerebro.broker.setcommission(commission=0.0)
    strat = cerebro.run()[0]
    print(json.dumps({
        'bars': len(feed),
        'fills': strat.fills,
        'closedTrades': strat.closed,
        'finalEquity': cerebro.broker.getvalue(),
        'cash': cerebro.broker.getcash(),
    }))


if __name__ == '__main__':
    main(sys.argv)
