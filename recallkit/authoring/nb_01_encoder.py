"""Demo 1 notebook: encode words as random unit vectors."""

from recallkit.authoring.cells import answer, code, md

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
        code("d1_encoder_check", """
            # Not graded: the module is graded once, by its hidden suite, when you submit.
            # These checks show what that suite will look for.
            checks.check_encoder(encoder)
            """),
        md("d1_step2", r"""
            ## Step 2: why high dimensions help

            For unit vectors the cosine of the angle between them is just their dot
            product, $\cos\theta = \sum_{i=1}^{d} a_i b_i$. For two independent random
            directions each term is tiny and as likely positive as negative, so they
            mostly cancel: the cosine has mean 0 and standard deviation exactly
            $1/\sqrt{d}$.

            The plot encodes 50 random words at each dimension and shows the mean
            $|\cos\theta|$ over all pairs. For large $d$ the cosine is close to normal
            with SD $1/\sqrt{d}$, so its mean absolute value is $\sqrt{2/(\pi d)}$, a
            factor $\sqrt{2/\pi} \approx 0.8$ below $1/\sqrt{d}$: the curve lies on
            the dashed line.
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
            The coordinates of a random unit vector are uncorrelated (not independent:
            they are tied by $\sum_i x_i^2 = 1$). By rotational symmetry the cosine of
            two independent random unit vectors is distributed like one coordinate
            $x_1$ of one of them, and $\sum_i x_i^2 = 1$ gives $E[x_1^2] = 1/d$: mean 0,
            variance $1/d$, so its typical size $1/\sqrt{d}$ shrinks as $d$ grows.
            Almost all of a high-dimensional sphere lies close to the "equator"
            orthogonal to any given direction.

            For memory this means little interference: a cue matches its own memory
            with cosine 1 and every unrelated memory with only about $\pm 1/\sqrt{d}$,
            so the right memory stands out. Quantitatively, the largest of $N$ chance
            cosines grows only like $\sqrt{2\ln N / d}$, so the number of items that
            can be stored at a fixed margin grows exponentially with $d$.
            """, points=1),
    ]
