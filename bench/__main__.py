"""`make bench`: speed targets measured on this machine, beside this machine's own baseline.

Each benchmark times the system's operation and a bare SQL statement doing the
same amount of raw work on the same rows, and prints both and their ratio. Not
a test: nothing here passes or fails; read the table.

    .venv/bin/python -m bench [--tasks 10000] [--repeat 5]
    .venv/bin/python -m bench --scale-only [--scale 1,2,4] [--scale-cities 2]   # the scale curve
    .venv/bin/python -m bench --scale none                                      # without it
    .venv/bin/python -m bench --load-users 0                     # without the load test
    .venv/bin/python -m bench --load-users 200 --load-seconds 240 --load-storm 100

The load test (bench/load.py) runs gunicorn (config/gunicorn.py) and locust
(requirements-bench.txt, installed by `make bench`) on this machine, over the province
bench.jobs built, and prints its own table: requests/s, median and p95 per page, failures,
beside the same page's idle median.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")


def timed(function, *, repeat: int, before=None) -> list[float]:
    samples = []
    for _ in range(repeat):
        if before:
            before()
        start = time.perf_counter()
        function()
        samples.append(time.perf_counter() - start)
    return samples


def main(argv=None) -> int:
    import django

    django.setup()
    from django.test.utils import setup_databases, teardown_databases

    from bench import (
        dashboards,
        funds_rules,
        households,
        intake,
        jobs,
        load,
        milestones,
        periods,
        scale,
    )

    parser = argparse.ArgumentParser(description="基准测试")
    parser.add_argument("--tasks", type=int, default=10_000, help="任务数（默认 10000）")
    parser.add_argument("--repeat", type=int, default=5, help="每项重复次数（取中位数）")
    parser.add_argument("--cities", type=int, default=8)
    parser.add_argument("--counties-per-city", type=int, default=6)
    parser.add_argument("--obligations-per-county", type=int, default=500)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--requests", type=int, default=200, help="接口基准的请求次数")
    parser.add_argument("--members", type=int, default=100_000, help="花名册导入的人数")
    parser.add_argument("--scale", default="1,2,4",
                        help="规模曲线的倍数，逗号分隔（默认 1,2,4；none 不运行）")
    parser.add_argument("--scale-only", action="store_true", help="只运行规模曲线")
    parser.add_argument("--scale-cities", type=int, default=2,
                        help="规模曲线 1× 的市数（每市县数、每县措施数、年数同上）")
    parser.add_argument("--scale-obligations-per-county", type=int, default=None,
                        help="规模曲线每县措施数（默认同 --obligations-per-county）")
    parser.add_argument("--scale-requests", type=int, default=20,
                        help="规模曲线每页的请求次数")
    parser.add_argument("--load-users", type=int, default=200,
                        help="负载测试的模拟用户数（默认 200；0 不运行）")
    parser.add_argument("--load-seconds", type=int, default=240,
                        help="负载测试的时长（秒，含逐步加入的 100 秒）")
    parser.add_argument("--load-storm", type=int, default=100, help="登录高峰：10 秒内登录的人数")
    args = parser.parse_args(argv)
    factors = [] if args.scale.strip().lower() in ("", "none", "0") else [
        int(f) for f in args.scale.split(",")]

    print("准备基准数据库……", file=sys.stderr)
    # The default database only: the test settings' stand-in replica has one fixed name, and
    # two benchmarks creating it at once would collide.
    config = setup_databases(verbosity=0, interactive=False, aliases={"default"})
    rows, scale_rows, load_rows = [], [], []
    try:
        if not args.scale_only:
            rows += milestones.run(tasks=args.tasks, repeat=args.repeat, timed=timed)
            rows += intake.run(repeat=args.repeat, timed=timed)
            size = {"cities": args.cities, "counties_per_city": args.counties_per_city,
                    "obligations_per_county": args.obligations_per_county, "years": args.years}
            rows += jobs.run(size=size, repeat=max(1, args.repeat // 2), timed=timed)
            rows += jobs.api(repeat_requests=args.requests, timed=timed)
            rows += dashboards.run(repeat_requests=args.requests, timed=timed)
            rows += funds_rules.run(repeat=args.repeat, timed=timed)
            rows += households.run(repeat=args.repeat, timed=timed, members=args.members)
            rows += load.hash_cost(timed=timed)
            if args.load_users:  # gunicorn + locust over the province jobs.run built
                load_rows = load.run(users=args.load_users, seconds=args.load_seconds,
                                     storm=args.load_storm)
            # After the load test: it ends the province's period (close-out, five-year summary).
            rows += periods.run(repeat=args.repeat, requests=args.requests, timed=timed)
        if factors:  # last: it empties the register the benchmarks above built
            base = {"cities": args.scale_cities, "counties_per_city": args.counties_per_city,
                    "obligations_per_county": (args.scale_obligations_per_county
                                               or args.obligations_per_county),
                    "years": args.years}
            scale_rows = scale.run(factors=factors, base=base, repeat=max(1, args.repeat // 2),
                                   requests=args.scale_requests, timed=timed)
    finally:
        teardown_databases(config, verbosity=0)
    if rows:
        print_table(rows)
    if load_rows:
        load.print_table(load_rows)
    if factors:
        print()
        scale.print_table(scale_rows, factors)
    return 0


def print_table(rows: list[tuple]) -> None:
    print()
    header = ("基准", "规模", "中位数(秒)", "p95(秒)", "本机基线(秒)", "倍数", "基线内容")
    print(" | ".join(header))
    print(" | ".join("---" for _ in header))
    for name, size, samples, baseline, what in rows:
        median = statistics.median(samples)
        p95 = sorted(samples)[max(0, math.ceil(len(samples) * 0.95) - 1)]
        base = statistics.median(baseline)
        print(f"{name} | {size} | {median:.3f} | {p95:.3f} | {base:.3f} | {median / base:.1f}× | {what}")


if __name__ == "__main__":
    sys.exit(main())
