"""Demo 5 notebook: retrieval from memory by dot-product attention."""

from recallkit.authoring.cells import answer, code, md, tests

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
            well each memory's key matches the cue: Tulving and Thomson's encoding
            specificity, in three lines of linear algebra.

            The scores are **unscaled** dot products. Transformers use *scaled*
            dot-product attention, $\mathrm{softmax}(QK^\top / \sqrt{d})\,V$: with
            entries of size about 1, a dot product grows like $\sqrt{d}$, and dividing
            by $\sqrt{d}$ keeps the softmax from saturating. Here the **temperature $T$
            plays the role of $\sqrt{d}$**: our vectors have unit length, the scores are
            already cosines in $[-1, 1]$, and $T$ sets how sharply attention focuses.
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
            from memory_attention import checks, plots
            """),
        md("d5_step1", """
            ## Step 1: attend

            Open `memory_attention/attention.py` and complete
            **`DotProductAttention.attend(query, keys, values)`**: compute the scores
            `keys @ query`, turn them into weights with your `softmax` at
            `self.temperature`, and return `(context, weights)` with
            `context = weights @ values`.
            """),
        tests("d5_attention_check", """
            checks.check_attention(attention)
            """, points=2),
        tests("d5_attention_hidden", """
            # Graded: other sizes and temperatures, and a memory of one item (more are hidden).
            two = attention.DotProductAttention(temperature=1.0)
            _, weights = two.attend(np.array([1.0, 0.0]), np.eye(2), np.eye(2))
            expected = np.array([np.e, 1.0]) / (np.e + 1)
            assert np.allclose(weights, expected), f"expected weights {expected}, got {weights}"
            ### BEGIN HIDDEN TESTS
            rng = np.random.default_rng(5)
            q, k, v = rng.normal(size=5), rng.normal(size=(7, 5)), rng.normal(size=(7, 3))
            for t in (0.5, 2.0):
                s = k @ q / t
                w = np.exp(s - s.max()) / np.exp(s - s.max()).sum()
                context, weights = attention.DotProductAttention(temperature=t).attend(q, k, v)
                assert np.allclose(weights, w, atol=1e-10), f"weights are wrong at T={t}"
                assert np.allclose(context, w @ v, atol=1e-10), f"context is wrong at T={t}"
            context, weights = attention.DotProductAttention(0.3).attend(q, k[:1], v[:1])
            assert np.allclose(weights, [1.0]) and np.allclose(context, v[0]), "one memory"
            model = attention.DotProductAttention(temperature=3.0)
            model.temperature = 0.001  # attend must read the temperature when it is called
            _, weights = model.attend(q, k, v)
            assert np.isclose(weights.max(), 1.0), "attend must use self.temperature"
            with np.errstate(over="raise", invalid="raise", divide="raise"):
                _, weights = attention.DotProductAttention(0.01).attend(q, 100 * k, v)
            assert np.argmax(weights) == np.argmax(k @ q), "large scores must stay stable"
            ### END HIDDEN TESTS
            """, points=3),
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
            matrix product: the grader times it on 500,000 memories.
            """),
        code("d5_timing", """
            fig = plots.plot_loop_vs_vectorised(memory_counts=[10, 100, 1000, 10000], dim=64)
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

            In our model the scores are unscaled dot products of unit vectors, and the
            temperature $T$ divides them instead: it plays the role of $\sqrt{d}$, but
            we choose it to set the focus (low $T$: sharp retrieval; high $T$: a blend).
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
