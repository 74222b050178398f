# A server with a planted delay, for bench/verdicts.sh: answers every GET after sleeping DELAY_MS.
# HTTP/1.1 with Content-Length so connections are kept alive, as bench/analyzer_accuracy.sh's sleep server.
# Usage: python3 bench/planted_server.py PORT DELAY_MS   (127.0.0.1 only; DELAY_MS may have decimals: 10.2)
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT, DELAY_SECONDS = int(sys.argv[1]), float(sys.argv[2]) / 1000
RESPONSE = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body in one write, without Nagle: written in two, the body waits for the client's delayed ACK
    # and every answer takes about 40 ms more than the delay, which would swamp a planted 0.2 ms.
    disable_nagle_algorithm = True

    def do_GET(self):
        time.sleep(DELAY_SECONDS)
        self.wfile.write(RESPONSE)

    def log_message(self, *args):
        pass


ThreadingHTTPServer.daemon_threads = True
ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
