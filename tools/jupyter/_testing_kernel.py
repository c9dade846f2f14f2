"""Drives a real Deno Jupyter kernel cell by cell through jupyter_client, as JupyterLab does.

Usage: .venv-jupyter/bin/python _testing_kernel.py CWD < cells.json > messages.json
Reads a JSON list of cell sources, runs each in one kernel started in CWD, and prints, per
cell, the reply status and the iopub messages (type and content) the cell produced.
"""
import json
import sys

from jupyter_client.manager import start_new_kernel


def run(kc, code, timeout=600):
    msg_id = kc.execute(code)
    messages = []
    while True:
        msg = kc.get_iopub_msg(timeout=timeout)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "status":
            if msg["content"]["execution_state"] == "idle":
                break
            continue
        messages.append({"type": msg["msg_type"], "content": msg["content"]})
    while True:
        reply = kc.get_shell_msg(timeout=timeout)
        if reply["parent_header"].get("msg_id") == msg_id:
            return reply["content"]["status"], messages


def main():
    cells = json.load(sys.stdin)
    km, kc = start_new_kernel(kernel_name="deno", cwd=sys.argv[1], startup_timeout=120)
    try:
        out = []
        for code in cells:
            status, messages = run(kc, code)
            out.append({"status": status, "messages": messages})
        json.dump(out, sys.stdout)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


if __name__ == "__main__":
    main()
