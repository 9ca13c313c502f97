"""Reference values for the tests, from scikit-learn (Debian's python3-sklearn).

Run from plugins/clam:  /usr/bin/python3 scripts/sklearn-reference.py
Writes test/fixtures/sklearn-reference.json. The tests only read that file;
they never need Python. Data are read the way the authors' parser.py reads
them (last field = class, classes numbered by first appearance) and
standardised with StandardScaler, as the paper does.
"""
import json
import sklearn
from sklearn.preprocessing import StandardScaler
from sklearn.cluster import KMeans, AgglomerativeClustering
from sklearn.metrics import silhouette_score, adjusted_rand_score
import numpy as np


def read(path):
    classes, X, Y = {}, [], []
    for line in open(path):
        line = line.strip()
        if not line:
            continue
        a = line.split(',')
        if len(a) == 1:
            a = line.split()
        name = a[-1].strip('"')
        classes.setdefault(name, len(classes))
        X.append([float(v) for v in a[:-1]])
        Y.append(classes[name])
    return np.array(X), np.array(Y)


out = {'sklearn': sklearn.__version__, 'datasets': {}}
for name, file, k in [('zoo', 'zoo.csv', 7), ('ecoli', 'ecoli.data', 8), ('libras', 'movement_libras.csv', 15)]:
    X, Y = read('data/' + file)
    Z = StandardScaler().fit_transform(X)
    km = KMeans(n_clusters=k, init='k-means++', n_init=200, random_state=0, max_iter=300).fit(Z)
    entry = {
        'k': k,
        'standardizedFirstRow': Z[0].tolist(),
        'silhouetteOfClasses': silhouette_score(Z, Y, metric='euclidean'),
        'kmeansInertia': float(km.inertia_),
        'kmeansLabels': km.labels_.tolist(),
        'kmeansSilhouette': silhouette_score(Z, km.labels_, metric='euclidean'),
        'kmeansAri': adjusted_rand_score(Y, km.labels_),
        'agglomerative': {},
    }
    for linkage in ['ward', 'average', 'complete']:
        ag = AgglomerativeClustering(n_clusters=k, linkage=linkage).fit(Z)
        entry['agglomerative'][linkage] = {
            'labels': ag.labels_.tolist(),
            'silhouette': silhouette_score(Z, ag.labels_, metric='euclidean'),
        }
    out['datasets'][name] = entry

# ARI on small hand-made labelings, including degenerate ones.
pairs = [
    ([0, 0, 1, 1], [1, 1, 0, 0]),
    ([0, 0, 1, 2], [0, 0, 1, 1]),
    ([0, 0, 0, 1, 1, 1, 2, 2, 2], [0, 0, 1, 1, 2, 2, 0, 1, 2]),
    ([0, 1, 2, 3], [0, 0, 0, 0]),
    ([5, 5, 3, 3, 3, 9], [1, 2, 2, 2, 3, 3]),
]
out['ari'] = [{'a': a, 'b': b, 'ari': adjusted_rand_score(a, b)} for a, b in pairs]
json.dump(out, open('test/fixtures/sklearn-reference.json', 'w'))
print('wrote test/fixtures/sklearn-reference.json')
