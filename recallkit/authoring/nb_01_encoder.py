"""Demo 1 notebook: encode words as random unit vectors."""

from recallkit.authoring.cells import answer, code, md, tests

FILENAME = "01_encoder.ipynb"


def cells() -> list:
    """The cells of ``01_encoder.ipynb``, in order."""
    return [
        md("d1_intro", r"""
            # Demo 1: Encoding words as vectors

            Over five demos you will build a small model of **cued recall**: a cue
            arrives, it is compared with every stored memory, and the memories that
            match it best are recalled. This is exactly **dot-product attention**:

            | in memory | in attention |
            |---|---|
            | the cue you recall from | query |
            | the index a memory is found by | key |
            | the memory representation that is recalled | value |

            Tulving and Thomson (1973) showed that recall depends on the *match*
            between the cue and the memory as it was encoded (*encoding specificity*).
            To measure a match we first need representations: in this demo every word
            gets a vector in a $d$-dimensional *semantic space*.

            We give each word a **random direction**: a unit vector drawn uniformly
            on the sphere. Random vectors know nothing about meaning, but they have a
            property a memory needs: in high dimensions, unrelated items barely overlap.

            **How to work:** you need Python 3.10 or newer (the set-up cell says so if
            yours is older). You edit the Python files in `memory_attention/`, not this
            notebook. The set-up cell turns on `autoreload`, so re-running a cell picks
            up the changes you saved; if a saved file has an error, the next cell you run
            says so (until you fix it, the notebook keeps the last version that worked).
            """),
        code("d1_setup", """
            %matplotlib inline
            %load_ext autoreload
            %autoreload 2
            import numpy as np
            from memory_attention import reloading
            reloading.warn_when_reload_fails()  # says so when an edited file has an error
            from memory_attention import encoder
            from memory_attention import checks, plots
            """),
        md("d1_step1", r"""
            ## Step 1: a random direction for each word

            Open `memory_attention/encoder.py` and complete **`WordEncoder.encode`**
            (it raises `NotImplementedError("Demo 1: ...")` until you do).

            `encode` already creates a random generator `rng` seeded by the word, the
            dimension and the encoder's seed, so a word always gets the same vector,
            even in a new Python session. Draw `self.dim` numbers from the standard
            normal distribution (`rng.standard_normal`) and divide by their length
            (`np.linalg.norm`). The normal distribution looks the same in every
            direction, so the normalised vector is uniform on the sphere; uniform
            numbers would crowd toward the corners of a cube.

            Try it on a small example:
            """),
        code("d1_try", """
            enc = encoder.WordEncoder(dim=8, seed=0)
            apple = enc.encode("apple")
            print("apple  =", np.round(apple, 3))
            print("length =", np.linalg.norm(apple))
            print("same vector the next time:", np.array_equal(apple, enc.encode("apple")))
            """),
        md("d1_check_intro", """
            Now run the checks. Each ✓ is one passed check; a failure says what is
            wrong and the likely fix.
            """),
        tests("d1_encoder_check", """
            checks.check_encoder(encoder)
            """, points=2),
        tests("d1_encoder_hidden", """
            # Graded: more dimensions, seeds and words (further tests are hidden).
            vector = encoder.WordEncoder(dim=3, seed=7).encode("zebra")
            assert vector.shape == (3,), f"expected shape (dim,) = (3,), got {vector.shape}"
            ### BEGIN HIDDEN TESTS
            for dim, seed, word in [(1, 0, "a"), (5, 3, "memory"), (300, 42, "cue")]:
                vector = encoder.WordEncoder(dim=dim, seed=seed).encode(word)
                assert isinstance(vector, np.ndarray), "encode must return a numpy array"
                assert vector.shape == (dim,), f"shape {vector.shape} for dim={dim}"
                assert abs(np.linalg.norm(vector) - 1) < 1e-6, f"length is not 1 for dim={dim}"
                again = encoder.WordEncoder(dim=dim, seed=seed).encode(word)
                assert np.array_equal(vector, again), "the same word must give the same vector"
            first = encoder.WordEncoder(dim=64, seed=0).encode("apple")
            assert not np.allclose(first, encoder.WordEncoder(dim=64, seed=1).encode("apple")), \\
                "another seed must give another vector"
            assert not np.allclose(first, encoder.WordEncoder(dim=64, seed=0).encode("Apple")), \\
                "another word must give another vector"
            # Uniform on the sphere: each coordinate has mean 0, variance 1/d and
            # kurtosis 3d/(d + 2) (= 2.67 for d = 16; uniform coordinates give about 2).
            sample = np.stack([encoder.WordEncoder(dim=16, seed=5).encode(f"w{i}")
                               for i in range(2000)])
            assert np.all(np.abs(sample.mean(axis=0)) < 0.03), "coordinates are not centred at 0"
            assert np.allclose(sample.var(axis=0), 1 / 16, rtol=0.15), "variances are not 1/d"
            kurtosis = np.mean(sample**4) / np.mean(sample**2) ** 2
            assert abs(kurtosis - 3 * 16 / 18) < 0.15, f"not uniform on the sphere ({kurtosis=})"
            ### END HIDDEN TESTS
            """, points=3),
        md("d1_step2", r"""
            ## Step 2: why high dimensions help

            For unit vectors the cosine of the angle between them is just their dot
            product, $\cos\theta = \sum_{i=1}^{d} a_i b_i$. For two independent random
            directions each term is tiny and as likely positive as negative, so they
            mostly cancel: the cosine has mean 0 and standard deviation exactly
            $1/\sqrt{d}$.

            The plot encodes 50 random words at each dimension and shows the mean
            $|\cos\theta|$ over all pairs; for large $d$ it sits a factor
            $\sqrt{2/\pi} \approx 0.8$ below $1/\sqrt{d}$.
            """),
        code("d1_plot", """
            fig = plots.plot_cosine_vs_dimension(
                encoder.WordEncoder, dims=[2, 4, 8, 16, 32, 64, 128, 256, 512, 1024], n_words=50,
                seed=0)
            """),
        md("d1_plot_reading", """
            From now on we use $d = 64$: a word matches itself with cosine 1, and an
            unrelated word with a cosine of about ±0.1. That gap is what will let a
            cue single out its own memory.

            ### Question 1.1
            Why do unrelated words become nearly orthogonal as the dimension grows,
            and what does that buy a memory that must tell its items apart?
            """),
        answer("d1_answer_orthogonal", r"""
            The cosine of two independent random unit vectors is a sum of $d$ products
            of independent coordinates, each with mean 0 and variance $1/d^2$. The sum
            has mean 0 and variance $1/d$, so its typical size $1/\sqrt{d}$ shrinks as
            $d$ grows: almost all of a high-dimensional sphere lies close to the
            "equator" orthogonal to any given direction.

            For memory this means little interference: a cue matches its own memory
            with cosine 1 and every unrelated memory with only about $\pm 1/\sqrt{d}$,
            so the right memory stands out, and many items can be stored before their
            cross-talk matters.
            """, points=1),
    ]
