"""Demo 5 notebook: retrieval from memory by dot-product attention."""

from recallkit.authoring.cells import answer, code, md

FILENAME = "05_attention.ipynb"


def cells() -> list:
    """The cells of ``05_attention.ipynb``, in order."""
    return [
        md("d5_intro", r"""
            # Demo 5: Recall by dot-product attention

            Time to put the pieces together. Given a cue (the **query** $q$), $n$
            stored memories found by their **keys** (the rows of $K$) and holding their
            **values** (the rows of $V$), attention recalls

            $$s = K q, \qquad w = \mathrm{softmax}(s / T), \qquad
            \text{context} = w^\top V = \sum_i w_i\, v_i.$$

            The recalled *context* is a mix of memory representations weighted by how
            well each memory's key matches the cue: a cue-dependent, content-addressable
            retrieval (like the echo of MINERVA 2, Hintzman 1984, or one update of a
            modern Hopfield network, Ramsauer et al. 2020). It is not yet encoding
            specificity: here a key is the word itself. Mini-Project 3 makes retrieval
            encoding-specific by putting the study context into the keys.

            The scores are **unscaled** dot products. Transformers use *scaled*
            dot-product attention, $\mathrm{softmax}(QK^\top / \sqrt{d})\,V$: with
            independent entries of mean 0 and variance 1, a dot product has mean 0 and
            variance $d$, so its *spread* grows like $\sqrt{d}$, and dividing by
            $\sqrt{d}$ keeps the softmax from saturating. Our vectors have unit length,
            so the scores are already cosines in $[-1, 1]$, and $q\cdot k/\sqrt{d}$ of
            such vectors scaled to length $\sqrt{d}$ is $\sqrt{d}\cos\theta$: a
            transformer's scaling is a **temperature $T = 1/\sqrt{d}$** on cosines
            (0.125 at $d = 64$). Here $T$ is a free parameter that sets how sharply
            attention focuses.
            """),
        code("d5_setup", """
            %matplotlib inline
            %load_ext autoreload
            %autoreload 2
            import os
            for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
                os.environ.setdefault(variable, "1")  # steady timings: one BLAS thread
            import numpy as np
            from memory_attention import reloading
            reloading.warn_when_reload_fails()  # says so when an edited file has an error
            from memory_attention import attention, encoder
            from memory_attention import checks, plots, sizing
            """),
        md("d5_step1", """
            ## Step 1: attend

            Open `memory_attention/attention.py` and complete
            **`DotProductAttention.attend(query, keys, values)`**: compute the scores
            `keys @ query`, turn them into weights with your `softmax` at
            `self.temperature`, and return `(context, weights)` with
            `context = weights @ values`.
            """),
        code("d5_attention_check", """
            # Not graded: the module is graded once, by its hidden suite, when you submit.
            # These checks show what that suite will look for.
            checks.check_attention(attention)
            """),
        md("d5_step2", """
            ## Step 2: recall *apple*

            The five memories of Demo 3 again. Each word's vector serves as both its
            key (how the memory is found) and its value (what is recalled). The helper
            `retrieve` attends from a cue word over these memories.
            """),
        code("d5_memories", '''
            memories = ["apple", "bread", "cloud", "drum", "eagle"]
            enc = encoder.WordEncoder(dim=64, seed=0)


            def retrieve(cue: str, temperature: float) -> tuple[np.ndarray, np.ndarray]:
                """Attend from ``cue`` over ``memories``; returns (context, weights)."""
                keys = np.stack([enc.encode(word) for word in memories])
                model = attention.DotProductAttention(temperature=temperature)
                return model.attend(enc.encode(cue), keys, keys)  # values = keys
            '''),
        code("d5_recall", """
            context, weights = retrieve("apple", temperature=0.1)
            for word, weight in zip(memories, weights, strict=True):
                print(f"{word:>6}: weight {weight:.4f}")
            print("recalled:", memories[int(np.argmax(weights))])
            similarity_to_apple = context @ enc.encode("apple") / np.linalg.norm(context)
            print(f"cosine(context, apple) = {similarity_to_apple:.4f}")
            """),
        md("d5_step3", """
            ## Step 3: the temperature sets the focus

            The same recall at $T = 0.1$, $1$ and $10$. At a low temperature *apple* is
            retrieved almost alone; at $T = 10$ every memory gets nearly a fifth of the
            attention, and the context is a blur of all five.
            """),
        code("d5_plot", """
            temperatures = [0.1, 1.0, 10.0]
            weights_by_t = np.stack([retrieve("apple", t)[1] for t in temperatures])
            fig = plots.plot_attention_weights(memories, weights_by_t, query="apple",
                                               temperatures=temperatures)
            """),
        md("d5_step4", """
            ## Step 4: why `keys @ query` and not a loop?

            In Demo 3 you scored the memories with a Python loop, one dot product per
            memory. `keys @ query` computes all $n$ of them in one call to compiled
            linear-algebra code. The cell times both ways (the median of many calls, with
            the linear-algebra library on one thread) on random keys of dimension 64; they
            give the same scores. That is why `attend` must score the memories with one
            matrix product: the grader times it on a million memories.
            """),
        code("d5_timing", """
            # nbgrader's graded run times fewer sizes (this cell is not graded)
            size = sizing.for_grading(memory_counts=([10, 100, 1000, 10000], [10, 100, 1000]))
            fig = plots.plot_loop_vs_vectorised(memory_counts=size.memory_counts, dim=64)
            """),
        md("d5_questions", """
            ### Question 5.1
            Transformers divide their scores by $\\sqrt{d}$. Why, and which part of our
            model plays that role?
            """),
        answer("d5_answer_scaling", r"""
            With query and key entries of size about 1, a dot product is a sum of $d$
            terms and its spread grows like $\sqrt{d}$. Large scores saturate the
            softmax: it becomes one-hot, and its gradients vanish. Dividing by
            $\sqrt{d}$ brings the scores back to a spread of about 1.

            In our model the scores are cosines (dot products of unit vectors), and the
            temperature $T$ divides them instead. A transformer's $q\cdot k/\sqrt{d}$,
            for vectors of length $\sqrt{d}$, equals $\sqrt{d}\cos\theta$: the same as
            $T = 1/\sqrt{d}$ on cosines. We choose $T$ freely to set the focus (low $T$:
            sharp retrieval; high $T$: a blend).
            """, points=1),
        md("d5_question2", """
            ### Question 5.2
            In Posner's task an *invalid* cue draws attention away from the target.
            Suppose you want to recall *apple*. The next cell uses `retrieve` to show what
            happens at $T = 0.1$ with the cue `"bread"`, and with a cue that matches no
            stored memory, `"zebra"`. Describe each in terms of valid and invalid cues.
            """),
        code("d5_try_cues", """
            for cue in ["bread", "zebra"]:
                context, weights = retrieve(cue, 0.1)
                print(f"cue {cue!r}:", ", ".join(f"{m} {w:.2f}" for m, w in zip(memories, weights)))
            """),
        answer("d5_answer_invalid", """
            With the cue *bread* nearly all the weight (about 1.0) goes to *bread* and
            almost none to *apple*: like an invalid cue, it draws attention to another
            memory and away from the target, so *apple* is not recalled at all.

            *zebra* matches every memory only by chance (cosines around ±0.1 to 0.2), so
            even at $T = 0.1$ the weights are spread out (about 0.58 on *eagle*, the
            rest shared by the others) and the context is a blend: a weak, confused
            recall, like a cue that points nowhere useful. The cost of a poor cue is
            higher at low temperature, where attention commits to whichever memory
            matches best.
            """, points=1),
    ]
