"""Demo 2 notebook: cosine and Euclidean similarity."""

from recallkit.authoring.cells import answer, code, md

FILENAME = "02_similarity.ipynb"


def cells() -> list:
    """The cells of ``02_similarity.ipynb``, in order."""
    return [
        md("d2_intro", r"""
            # Demo 2: How alike are two memories?

            Tulving and Thomson's (1973) *encoding specificity principle*: a cue helps
            recall to the extent that it matches the memory **as it was encoded**. A
            word studied beside a weak associate (*ground* – COLD) was recalled better
            from that same weak cue than from a strong associate (*hot*), although
            *hot* is the closer word to *cold* in general.

            In our model the cue becomes a **query** vector and each stored memory is
            found by its **key** vector; recall starts from a *match score* between
            them. This demo writes the two classic scores:

            * **cosine similarity**,
              $\cos\theta = \dfrac{a \cdot b}{\lVert a\rVert\,\lVert b\rVert}$,
              which compares directions only;
            * **Euclidean distance**, $\lVert a - b\rVert = \sqrt{\sum_i (a_i - b_i)^2}$,
              which is 0 for identical vectors. As a *similarity* we use its negative,
              so that for both metrics **higher means more similar**.
            """),
        code("d2_setup", """
            %matplotlib inline
            %load_ext autoreload
            %autoreload 2
            import numpy as np
            from memory_attention import reloading
            reloading.warn_when_reload_fails()  # says so when an edited file has an error
            from memory_attention import encoder, similarity
            from memory_attention import checks, plots
            """),
        md("d2_step1", """
            ## Step 1: two ways to score a match

            Open `memory_attention/similarity.py` and complete the four methods of
            **`Similarity`**: `__init__` (keep the metric as `self.metric` and raise
            `ValueError` for a metric not in `METRICS`), `cosine`, `euclidean` (the
            distance itself, never negative) and `__call__` (the similarity for
            `self.metric`: the cosine, or minus the distance). The last three return a
            Python `float`.

            With your encoder from Demo 1, a word should match itself best:
            """),
        code("d2_try", """
            enc = encoder.WordEncoder(dim=64, seed=0)
            apple, bread = enc.encode("apple"), enc.encode("bread")
            for metric in ("cosine", "euclidean"):
                sim = similarity.Similarity(metric)
                print(f"{metric:>9}: apple~apple {sim(apple, apple):+.3f}   "
                      f"apple~bread {sim(apple, bread):+.3f}")
            """),
        code("d2_similarity_check", """
            # Not graded: the module is graded once, by its hidden suite, when you submit.
            # These checks show what that suite will look for.
            checks.check_similarity(similarity)
            """),
        md("d2_step2", r"""
            ## Step 2: two metrics, one ranking

            Our word vectors all have length 1. For unit vectors the two metrics are
            tied by $\lVert a - b\rVert^2 = 2 - 2\cos\theta$. The plot scores every pair
            of 30 random unit vectors in 3 dimensions (so the cosines cover the whole
            range $[-1, 1]$) with both of your metrics, next to the curve
            $-\sqrt{2 - 2\cos\theta}$.
            """),
        code("d2_plot", """
            fig = plots.plot_cosine_vs_distance(similarity.Similarity, dim=3, n_vectors=30, seed=0)
            """),
        md("d2_question", """
            ### Question 2.1
            For unit vectors, why do cosine and Euclidean similarity put memories in the
            same order? When would they disagree?
            """),
        answer("d2_answer_ranking", r"""
            $\lVert a - b\rVert^2 = \lVert a\rVert^2 + \lVert b\rVert^2 - 2\,a\cdot b$,
            which for unit vectors is $2 - 2\cos\theta$. So
            $-\lVert a - b\rVert = -\sqrt{2 - 2\cos\theta}$ is an increasing function of
            $\cos\theta$: whichever memory has the larger cosine with the cue also has
            the smaller distance, and the rankings agree.

            They disagree when the vectors have different lengths: cosine looks only at
            the direction, while distance also counts length. A vector pointing the same
            way as the cue but twice as long has cosine 1 yet lies far away.
            """, points=1),
    ]
