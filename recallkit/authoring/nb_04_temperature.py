"""Demo 4 notebook: softmax with a temperature."""

from recallkit.authoring.cells import answer, code, md

FILENAME = "04_temperature.ipynb"


def cells() -> list:
    """The cells of ``04_temperature.ipynb``, in order."""
    return [
        md("d4_intro", r"""
            # Demo 4: Sharp or broad attention

            In Posner's (1980) **cueing paradigm**, a cue (an arrow, or a flash at one
            side of the screen) comes before a target. When the cue is *valid* and
            points to where the target appears, people respond faster; when it is
            *invalid*, they respond more slowly, because attention went to the cued
            place and away from the target. Attention can also be narrow, like a
            spotlight on one place, or spread over many.

            Our model has a single knob for this, the **temperature** $T$, which
            divides the scores before the softmax:

            $$w_i = \frac{e^{s_i/T}}{\sum_j e^{s_j/T}}.$$

            As $T \to 0$ all the weight goes to the best match (ties share it); as
            $T \to \infty$ the weights become uniform. Scores of unit vectors lie in
            $[-1, 1]$, so at $T = 1$ two weights differ by at most a factor
            $e^{2} \approx 7.4$: to focus on a single memory, $T$ must be well below 1.
            """),
        code("d4_setup", """
            %matplotlib inline
            %load_ext autoreload
            %autoreload 2
            import numpy as np
            from memory_attention import reloading
            reloading.warn_when_reload_fails()  # says so when an edited file has an error
            from memory_attention import encoder, softmax
            from memory_attention import checks, plots
            """),
        md("d4_step1", """
            ## Step 1: add the temperature

            Open `memory_attention/softmax.py` and complete **`softmax(scores,
            temperature)`**: raise `ValueError` if `temperature <= 0` (at 0 the
            division is undefined, and a negative temperature would focus on the *worst*
            match), otherwise return your `stable_softmax` of
            `scores / temperature`. Reusing `stable_softmax` keeps it safe at low
            temperatures, where `scores / temperature` gets large.
            """),
        code("d4_try", """
            scores = np.array([1.0, 2.0, 3.0])
            for temperature in (0.1, 1.0, 10.0):
                print(f"T = {temperature:>4}:", np.round(softmax.softmax(scores, temperature), 3))
            """),
        code("d4_temperature_check", """
            # Not graded: the module is graded once, by its hidden suite, when you submit.
            # These checks show what that suite will look for.
            checks.check_softmax_temperature(softmax)
            """),
        md("d4_step2", """
            ## Step 2: the spotlight over memory

            Back to the five memories and the cue *apple* from Demo 3. The plot shows
            the attention weights at several temperatures; the dotted line is uniform
            attention.
            """),
        code("d4_plot", """
            memories = ["apple", "bread", "cloud", "drum", "eagle"]
            enc = encoder.WordEncoder(dim=64, seed=0)
            keys = np.stack([enc.encode(word) for word in memories])
            scores = keys @ enc.encode("apple")
            fig = plots.plot_softmax_temperatures(
                softmax.softmax, scores, temperatures=[0.05, 0.1, 0.3, 1.0, 10.0], labels=memories)
            """),
        md("d4_question", """
            ### Question 4.1
            What happens to the attention weights as $T \\to 0$ and as $T \\to \\infty$?
            Relate each limit to a narrow and a broad spotlight of attention in
            Posner's cueing task.
            """),
        answer("d4_answer_limits", r"""
            As $T \to 0$ the scaled gaps $(s_i - s_{\max})/T$ go to $-\infty$ for every
            memory except the best match, so the softmax becomes one-hot on the maximum
            (winner-takes-all; tied maxima share the weight). As $T \to \infty$ all
            scaled scores go to 0 and every memory gets weight $1/n$.

            A low temperature is a narrow spotlight: with a valid cue the target gets
            all the attention (fast, accurate recall), but with an invalid cue the
            target gets almost nothing (a large cost). A high temperature is a broad
            spotlight: attention is spread over all memories, so a valid cue helps
            little and an invalid cue costs little.
            """, points=1),
    ]
