"""Independent reference for RatingBaselines (the dslabs book's regularised movie and user effects).

Run with Debian's numpy: /usr/bin/python3 rating_baselines.py. The ratings below are the ones
RecommendationTests builds; rows 0-13 train, 14-17 test. Prints the values the test pins.
"""
import numpy as np

# (user, movie, stars); ids are 0-based and appear in order in the first rows.
rows = [(0, 0, 4.0), (0, 1, 3.5), (1, 0, 5.0), (1, 2, 2.0), (2, 1, 1.5), (2, 3, 4.5), (3, 2, 3.0),
        (3, 3, 0.5), (0, 3, 4.0), (1, 1, 2.5), (2, 0, 3.0), (3, 0, 5.0), (2, 2, 1.0), (4, 4, 3.5),
        (0, 2, 3.0), (1, 3, 4.0), (3, 1, 2.0), (4, 0, 5.0)]
train, test = rows[:14], rows[14:]
u = np.array([r[0] for r in train]); m = np.array([r[1] for r in train]); y = np.array([r[2] for r in train])
mu = y.mean()
for lam in (0.0, 2.0):
    bm = np.zeros(5); bu = np.zeros(5)
    for k in range(5):
        sel = m == k
        bm[k] = (y[sel] - mu).sum() / (sel.sum() + lam) if sel.sum() + lam > 0 else 0.0
    for k in range(5):
        sel = u == k
        bu[k] = (y[sel] - mu - bm[m[sel]]).sum() / (sel.sum() + lam) if sel.sum() + lam > 0 else 0.0
    pred = np.clip([mu + bu[a] + bm[b] for a, b, _ in test], 0.5, 5.0)
    truth = np.array([r[2] for r in test])
    print(f"lambda={lam}: rmse={np.sqrt(np.mean((pred - truth) ** 2)):.15f}")
truth = np.array([r[2] for r in test])
print(f"global mean rmse={np.sqrt(np.mean((mu - truth) ** 2)):.15f}")
