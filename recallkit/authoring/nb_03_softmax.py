"""Demo 3 notebook: match scores over memories, and a numerically stable softmax."""

from recallkit.authoring.cells import answer, code, md, solution, tests

FILENAME = "03_softmax.ipynb"


def cells() -> list:
    """The cells of ``03_softmax.ipynb``, in order."""
    return [
        md("d3_intro", r"""
            # Demo 3: From match scores to attention

            A cue (the **query**) is compared with the **key** of every stored memory,
            giving one match score per memory. Attention then has to decide how much of
            a limited resource each memory receives: a set of weights that are
            non-negative, sum to 1, and grow with the score. The **softmax** does this:

            $$w_i = \frac{e^{s_i}}{\sum_j e^{s_j}}.$$

            The exponential makes every weight positive and stretches differences
            between scores; dividing by the sum makes the memories *compete*, because
            more weight for one means less for the others.

            The formula breaks on a computer: `np.exp(1000)` overflows to infinity and
            `np.exp(-1000)` underflows to 0, so when all scores are that large (or that
            negative) the ratio becomes inf / inf or 0 / 0, which is NaN. The
            fix is free, because shifting every score by the same constant $c$ cancels
            in the ratio: $e^{s_i - c} / \sum_j e^{s_j - c} = w_i$. With $c = \max_j s_j$
            the largest exponent is $e^0 = 1$, so nothing can overflow.
            """),
        code("d3_setup", """
            %matplotlib inline
            %load_ext autoreload
            %autoreload 2
            import numpy as np
            from memory_attention import reloading
            reloading.warn_when_reload_fails()  # says so when an edited file has an error
            from memory_attention import encoder, softmax
            from memory_attention import checks, plots
            """),
        md("d3_step1", """
            ## Step 1: score every memory against the cue

            Five words are stored in memory. Each memory's key is its word vector from
            your Demo 1 encoder, and the cue is the word *apple*. In the cell below,
            build **`scores`**: a numpy array with one entry per memory, in the order of
            `memories`, where entry $i$ is the dot product of the cue with memory $i$'s
            vector (for unit vectors this is their cosine).
            """),
        code("d3_memories", """
            memories = ["apple", "bread", "cloud", "drum", "eagle"]
            enc = encoder.WordEncoder(dim=64, seed=0)
            """),
        solution("d3_scores", """
            cue = enc.encode("apple")
            ### BEGIN SOLUTION
            scores = np.array([cue @ enc.encode(word) for word in memories])
            ### END SOLUTION
            """),
        code("d3_scores_aid", """
            keys = np.stack([enc.encode(word) for word in memories])  # row i: memory i
            checks.check_cue_scores(scores, keys, cue_index=0)
            print("scores:", np.round(scores, 3))
            """),
        tests("d3_scores_check", """
            # Graded: your loop above, against the vectors of your own encoder. The encoder
            # is graded once, by its own suite: if it cannot encode yet, this costs nothing.
            try:
                keys = np.stack([enc.encode(word) for word in memories])  # row i: memory i
            except Exception:
                keys = None
            if keys is not None:
                found = np.asarray(scores, dtype=float)
                assert found.shape == (len(memories),), \\
                    f"one score per memory: expected shape ({len(memories)},), got {found.shape}"
                assert np.allclose(found, keys @ keys[0], atol=1e-6), \\
                    "score i must be cue · memory i, in the order of `memories`"
            """, points=1),
        md("d3_step2", """
            ## Step 2: a softmax that never overflows

            The textbook formula fails for large scores:
            """),
        code("d3_naive", """
            big = np.array([1000.0, 1001.0, 1002.0])
            with np.errstate(over="ignore", invalid="ignore"):  # silence the expected warnings
                print("textbook softmax:", np.exp(big) / np.exp(big).sum())
            print("your stable_softmax:", softmax.stable_softmax(big))
            """),
        md("d3_step2_task", """
            Open `memory_attention/softmax.py` and complete **`stable_softmax`**:
            subtract the largest score, exponentiate, and divide by the sum. It must work
            on a batch too, normalising each row separately: take the maximum and the
            sum over the last axis with `axis=-1, keepdims=True`. Do not change the
            array you were given (write `shifted = scores - ...`, not `scores -= ...`).
            """),
        code("d3_stable_check", """
            # Not graded: the module is graded once, by its hidden suite, when you submit.
            # These checks show what that suite will look for.
            checks.check_stable_softmax(softmax)
            """),
        md("d3_step3", """
            ## Step 3: attention over the memories

            Now turn the cue's scores into attention weights. (The cell computes all
            five scores at once as `keys @ cue`, one row of `keys` per memory; Demo 5
            shows why this beats a loop.)
            """),
        code("d3_weights", """
            keys = np.stack([enc.encode(word) for word in memories])
            weights = softmax.stable_softmax(keys @ enc.encode("apple"))
            fig = plots.plot_attention_weights(memories, weights, query="apple", temperatures=[1])
            """),
        md("d3_question", """
            *apple* gets the most weight, but less than half of it: the scores of unit
            vectors lie between −1 and 1, and $e^{1}/e^{0} \\approx 2.7$ is a weak
            contrast. Demo 4 adds a knob that sharpens the focus.

            ### Question 3.1
            Why does subtracting the largest score not change the softmax, and why does
            it prevent overflow?
            """),
        answer("d3_answer_shift", r"""
            Subtracting a constant $c$ from every score multiplies every exponential by
            the same factor $e^{-c}$, which cancels between numerator and denominator:
            $e^{s_i - c} / \sum_j e^{s_j - c} = e^{s_i} / \sum_j e^{s_j}$.

            With $c = \max_j s_j$ every shifted score is $\le 0$, so every exponential
            lies in $(0, 1]$ and cannot overflow; the largest one is exactly $e^0 = 1$,
            so the denominator is at least 1 and never underflows to 0. Tiny weights
            may round to 0, which is harmless.
            """, points=1),
    ]
