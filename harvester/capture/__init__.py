"""Capture: fetch forums (live or from the Wayback Machine) politely and write WARC files.

fetch (raw HTTP exchanges) -> crawl (scope, robots, retries, dedup) -> warcwriter (records, files) ->
state (sqlite queue, done set, dedup store) -> cdxj / crawllog / wacz around the WARCs.
"""
