"""Ten planners at once against the real server: each session solves its own budget, at the same moment.

Each session speaks the browser's own protocol to ``streamlit run`` (protobuf messages over the
``/_stcore/stream`` websocket, the ``websockets`` client that Streamlit itself depends on): it opens the
what-if page, and then all ten set a different yearly budget together. Solves run in the app's worker
processes, so no two HiGHS solves share a process; each session must see the plan of its own budget, the
server must stay up, and its log must hold no traceback.
"""

from __future__ import annotations

import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.sync.client import connect

from engine.core.i18n import t

SESSIONS = 10
YEARS = 6  # the default scenario's horizon, 2025-2030
WAIT_S = 240.0


class Session:
    """One browser session, reduced to its messages: rerun the page, read what it draws."""

    def __init__(self, url: str) -> None:
        self.ws = connect(url.replace("http", "ws", 1) + "/_stcore/stream", subprotocols=["streamlit"], max_size=None,
                          open_timeout=60)
        self.widgets: list[WidgetState] = []
        self.ids: dict[str, str] = {}

    def run(self, **doubles: float) -> list:
        """Rerun the what-if page with the given number inputs (by label) set; the elements it drew."""
        for label, value in doubles.items():
            widget_id = self.ids[label]
            self.widgets = [w for w in self.widgets if w.id != widget_id] + [WidgetState(id=widget_id,
                                                                                          double_value=value)]
        message = BackMsg()
        message.rerun_script.query_string = "lang=en"
        message.rerun_script.page_name = "whatif"
        message.rerun_script.widget_states.widgets.extend(self.widgets)
        self.ws.send(message.SerializeToString())
        elements = []
        while True:
            forward = ForwardMsg()
            forward.ParseFromString(self.ws.recv(timeout=WAIT_S))
            kind = forward.WhichOneof("type")
            if kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
                elements.append(forward.delta.new_element)
            elif kind == "script_finished":
                self.ids = {e.number_input.label: e.number_input.id for e in elements
                            if e.WhichOneof("type") == "number_input"}
                return elements

    def close(self) -> None:
        self.ws.close()


def shown(elements: list) -> dict[str, str]:
    """The metrics on the page (label -> value), and any exception or error the page showed."""
    out = {e.metric.label: e.metric.body for e in elements if e.WhichOneof("type") == "metric"}
    for e in elements:
        if e.WhichOneof("type") == "exception":
            out["exception"] = e.exception.message
        elif e.WhichOneof("type") == "alert" and e.alert.format == Alert.ERROR:
            out["error"] = e.alert.body
    return out


def test_ten_sessions_solving_together_each_see_their_own_plan(app_url):
    label = t("budget_per_year", "en")
    spent = t("spent_bn", "en")
    sessions = [Session(app_url) for _ in range(SESSIONS)]
    try:
        with ThreadPoolExecutor(SESSIONS) as pool:
            first = list(pool.map(lambda s: shown(s.run()), sessions))
            assert all(page.get(spent) == "3,000" for page in first), first  # the default plan everywhere

            budgets = [300.0 + 50.0 * i for i in range(SESSIONS)]
            together = threading.Barrier(SESSIONS)

            def change(session: Session, budget: float) -> dict[str, str]:
                together.wait(timeout=WAIT_S)  # every session asks at the same moment
                return shown(session.run(**{label: budget}))

            started = time.perf_counter()
            pages = list(pool.map(change, sessions, budgets))
            print(f"{SESSIONS} sessions solving together: all plans shown after {time.perf_counter() - started:.2f} s")
            again = list(pool.map(lambda s: shown(s.run()), sessions))  # a plain rerun keeps each session's own

        for budget, page, rerun in zip(budgets, pages, again, strict=True):
            expected = f"{budget * YEARS:,.0f}"
            assert "exception" not in page and "error" not in page, page
            assert page[spent] == expected, (budget, page)
            assert "exception" not in rerun and "error" not in rerun, rerun
            assert rerun[spent] == expected, (budget, rerun)
        with urllib.request.urlopen(f"{app_url}/_stcore/health", timeout=10) as answer:
            assert answer.read().strip() == b"ok"
    finally:
        for session in sessions:
            session.close()
