"""The bundled model's own process: llama.cpp (``xllamacpp``) serving OpenAI-compatible routes on loopback.

Run by ``LocalLlamaBackend`` as ``python -m advisor.llm.local_server GGUF --ctx N --threads T``. It prints
one line ``LISTENING http://127.0.0.1:PORT`` once the model is loaded, then serves until its standard input
closes (the parent exited or stopped it) or it gets SIGTERM. It runs apart from the advisor because
llama.cpp's CPU threads and PyTorch's OpenMP runtime slow each other down about fourfold in one process
(measured: 4-5 instead of 15-19 tokens/s on 2 cores once the embedding model has run).
"""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m advisor.llm.local_server", description=__doc__)
    parser.add_argument("model", help="path of the GGUF file")
    parser.add_argument("--ctx", type=int, default=4096, help="context length in tokens")
    parser.add_argument("--threads", type=int, default=2, help="CPU threads for prompt reading and generation")
    args = parser.parse_args(argv)
    import xllamacpp as xlc

    params = xlc.CommonParams()
    params.model.path = args.model
    params.n_ctx = args.ctx
    params.n_parallel = 1
    params.cpuparams.n_threads = args.threads
    params.cpuparams_batch.n_threads = args.threads
    params.n_gpu_layers = 0
    params.cache_prompt = True
    params.verbosity = -1
    try:
        server = xlc.Server(params)
    except Exception as exc:  # a bad file: say so on stderr, where the parent reads the reason
        print(f"llama.cpp could not load {args.model}: {exc}", file=sys.stderr, flush=True)
        return 1
    print(f"LISTENING {server.listening_address}", flush=True)
    for _ in sys.stdin:  # block until the parent closes our stdin
        pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
