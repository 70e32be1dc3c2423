"""`--lm student` / `--lm student:PATH`: the student as an in-process DSPy LM (no server), answering like `serve-lm`.

`student` alone is the shipped student and `student:ADAPTER_DIR` an adapter
folder, both on llama.cpp (`agent.student.shipped`, no torch); `student:PATH`
with a merged model folder runs in torch (`.venv-train`). Every answer is the
constrained decoder's config (greedy; sampling options are ignored), framed for
DSPy's ChatAdapter when the request uses it.
"""

from __future__ import annotations

from types import SimpleNamespace

import dspy

from agent.student.chat import answer, completion_response

PREFIX = "student:"


class StudentLM(dspy.BaseLM):
    def __init__(self, path: str = "", threads: int = 1) -> None:
        from agent.student import shipped

        super().__init__(model=f"{PREFIX}{path}" if path else "student", model_type="chat", temperature=0.0, max_tokens=None, cache=False)
        if not path or shipped.is_adapter_folder(path):
            self.student = shipped.load(path or shipped.SHIPPED, threads=2)
        else:
            from agent.student.model import Student

            self.student = Student(path, threads=threads)

    def forward(self, prompt=None, messages=None, **kwargs):
        messages = messages or [{"role": "user", "content": prompt or ""}]
        payload = completion_response(self.model, answer(self.student.constrained, messages))
        choice = payload["choices"][0]
        return SimpleNamespace(
            id=payload["id"],
            model=self.model,
            usage=payload["usage"],
            choices=[
                SimpleNamespace(
                    index=0,
                    finish_reason="stop",
                    message=SimpleNamespace(role="assistant", content=choice["message"]["content"], tool_calls=None, reasoning_content=None),
                )
            ],
        )

    async def aforward(self, prompt=None, messages=None, **kwargs):
        return self.forward(prompt=prompt, messages=messages, **kwargs)
