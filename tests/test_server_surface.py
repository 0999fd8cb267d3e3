"""The dashboard as an attack surface: what it listens on and what files it will hand out."""
import urllib.error
import urllib.request

import pytest

from timeline.cli import build_parser


def test_serve_listens_on_loopback_unless_told_otherwise():
    args = build_parser().parse_args(["serve"])
    assert args.host == "127.0.0.1"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from conftest import SEEDS, running_dashboard

    with running_dashboard(SEEDS, tmp_path_factory.mktemp("surface") / "t.db") as running:
        yield running


def test_the_listening_socket_is_bound_to_127_0_0_1(server):
    _, port = server
    listening = []
    for line in open("/proc/net/tcp").read().splitlines()[1:] + open("/proc/net/tcp6").read().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        if state == "0A" and int(local.rsplit(":", 1)[1], 16) == port:
            listening.append(local.rsplit(":", 1)[0])
    assert listening == ["0100007F"]  # 127.0.0.1, and nothing on other addresses


@pytest.mark.parametrize("path", [
    "/assets/../pyproject.toml", "/assets/..%2fpyproject.toml", "/assets/%2e%2e/%2e%2e/etc/passwd",
    "/_dash-component-suites/../../../../etc/passwd", "/_dash-component-suites/dash/..%2f..%2f..%2fetc%2fpasswd",
    "/assets/topojson/../../src/timeline/cli.py", "/%2e%2e/%2e%2e/etc/passwd",
])
def test_no_path_reads_files_outside_the_assets(server, path):
    base, _ = server
    try:
        body = urllib.request.urlopen(base + path, timeout=5).read()
    except urllib.error.HTTPError as e:
        assert e.code in (400, 403, 404)
        return
    # Dash answers unknown paths with its page; never with a file's contents
    assert b"root:" not in body and b"[build-system]" not in body and b"def main" not in body


def test_the_offline_base_map_is_served(server):
    base, _ = server
    assert urllib.request.urlopen(base + "/assets/topojson/world_110m.json", timeout=5).status == 200


def test_malformed_callback_requests_get_an_error_status_not_a_crash(server):
    base, _ = server
    for body in (b"{not json", b'{"output": "x.y", "inputs": []}', b"[]"):
        request = urllib.request.Request(base + "/_dash-update-component", data=body,
                                         headers={"Content-Type": "application/json"})
        with pytest.raises(urllib.error.HTTPError) as info:
            urllib.request.urlopen(request, timeout=5)
        assert info.value.code in (400, 500)
    assert urllib.request.urlopen(base + "/", timeout=5).status == 200  # still serving
