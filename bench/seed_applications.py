#!/usr/bin/python3
"""Seeds a running server with N applications (candidates x demo jobs) through the API.

usage: seed_applications.py BASE_URL TOKEN N
Creates ceil(N / jobs) candidates and applies each to every job until N applications exist.
"""
import concurrent.futures
import sys

import requests


def main():
    base, token, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    s = requests.Session()
    s.headers["Authorization"] = "Bearer " + token
    jobs = [j["id"] for j in s.get(base + "/api/v1/jobs?limit=200").json()["items"]]
    per_candidate = len(jobs)
    candidates = (n + per_candidate - 1) // per_candidate

    def one(i):
        c = requests.Session()
        c.headers["Authorization"] = "Bearer " + token
        r = c.post(base + "/api/v1/candidates", json={
            "name": "压测候选人%05d" % i, "email": "load%05d@bench.example" % i,
            "phone": "1790000%04d" % i, "source": "bench"})
        r.raise_for_status()
        cid = r.json()["id"]
        made = 0
        for k, job in enumerate(jobs):
            if i * per_candidate + k >= n:
                break
            r = c.post(base + "/api/v1/applications", json={"candidate_id": cid, "job_id": job})
            r.raise_for_status()
            made += 1
        return made

    with concurrent.futures.ThreadPoolExecutor(8) as ex:
        total = sum(ex.map(one, range(candidates)))
    print("seeded %d applications for %d candidates" % (total, candidates))


if __name__ == "__main__":
    main()
