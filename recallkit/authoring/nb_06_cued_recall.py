"""Mini-Project 3 notebook: cued recall by attention (Posner cueing, encoding specificity)."""

from recallkit.authoring.cells import answer, code, md, tests

FILENAME = "06_cued_recall.ipynb"


def cells() -> list:
    """The cells of ``06_cued_recall.ipynb``, in order."""
    return [
        md("mp3_intro", r"""
            # Mini-Project 3: Cued recall with attention

            You have built every piece of dot-product attention. Now use them to
            simulate **recalling a word from memory when given a cue**, and compare the
            simulation with three findings it should explain.

            1. **Encoding specificity** (Tulving & Thomson, 1973). A word is stored
               together with the context it was studied in, and a retrieval cue works to
               the extent that it matches *how the word was encoded*, not how strongly
               it is associated with the word in general. Roediger & Payne (1983) found
               the ordering: a cue from the study context > no cue at all (free recall)
               > a strong associate of the word that was not part of its encoding.
            2. **Attentional cueing** (Posner, 1980). A cue before the target draws
               attention to where it points. Against a neutral cue, a *valid* cue (it
               points to the target) brings a **benefit** and an *invalid* cue (it points
               elsewhere) a **cost**: response times are valid < neutral < invalid. With
               central arrow cues that are valid on 80 % of the trials, the benefit and
               the cost are each some tens of milliseconds.
            3. **Time.** Attention takes time to move: the longer the interval between
               cue and target, the larger the cueing effects.

            **Your job**: complete the five TODOs in `memory_attention/recall.py`
            (marked `Mini-Project 3`), check them with the cells below, run the
            experiments, and answer the three questions at the end.
            """),
        code("mp3_setup", """
            %matplotlib inline
            %load_ext autoreload
            %autoreload 2
            import numpy as np
            from memory_attention import recall
            from memory_attention import recall_plots
            """),
        md("mp3_model", r"""
            ## The model

            **Study.** On each trial a list of $n = 8$ words is studied, each paired with
            a context word (as in Tulving & Thomson's word pairs). Word $i$ leaves a
            memory **trace** that binds its vector $w_i$ to its context's vector $c_i$,
            stored with Gaussian encoding noise $\varepsilon_i$:

            $$k_i = \mathrm{unit}(w_i + c_i + \varepsilon_i).$$

            **Test.** One studied item, the **target**, is probed. The participant
            reinstates its study context, imperfectly: the **probe** is
            $p = \mathrm{unit}(c_t + \text{noise})$. A cue may point somewhere too. The
            query mixes the two, and has unit length: attention is a limited resource,
            so whatever the cue gains, the participant's own reinstatement loses.

            $$q = \mathrm{unit}\big((1 - a)\,p + a\,\text{cue}\big), \qquad
            a = \text{capture}\cdot\big(1 - e^{-\Delta t / \tau}\big),$$

            where $\Delta t$ is the cue–target interval: the cue's share $a$ grows as
            attention moves toward it.

            **Retrieval** is Demo 5: keys are the traces, values the word vectors,
            $\text{context} = \mathrm{softmax}(K q / T)^\top W$. The recalled word is the
            word of the whole vocabulary whose vector is nearest (cosine) to the context.

            **Response time.** Attention gives more than an answer: it says how sure
            retrieval was and where attention was when the probe arrived.

            $$\mathrm{RT} = t_0 + b\,H(w) + s\,(1 - w_{\text{target}})$$

            * $t_0$ (ms): the part of the response that has nothing to do with memory:
              seeing the probe, pressing the key.
            * $H(w) = -\sum_i w_i \log_2 w_i$, the entropy of the attention weights in
              bits: how much uncertainty retrieval has to resolve. Charging $b$ ms per
              bit is the Hick–Hyman law (choice RT grows with the information in the
              choice).
            * $s\,(1 - w_{\text{target}})$: Posner's reorienting. The share of attention
              that sits on other memories has to be disengaged and moved to the probed
              memory before the answer is given; moving all of it costs $s$ ms.

            | parameter | default | meaning |
            |---|---|---|
            | `noise` | 2.5 | encoding noise: length of $\varepsilon_i$ (a word has length 1) |
            | `probe_noise` | 1.0 | how imperfectly the participant reinstates the study context |
            | `temperature` | 0.1 | softmax temperature $T$ of retrieval |
            | `capture` | 0.7 | the cue's share of the query once attention has fully moved |
            | `tau_ms` | 300 | time constant $\tau$ of that move (ms) |
            | `interval_ms` | 300 | cue–target interval $\Delta t$ in the Posner task (ms) |
            | `associate_similarity` | 0.3 | cosine of an extra-list associate with its target |
            | `t0_ms`, `ms_per_bit`, `shift_ms` | 400, 60, 150 | $t_0$, $b$ and $s$ above |
            """),
        code("mp3_params", """
            print(recall.describe())
            """),
        md("mp3_todo", """
            ## Your five steps

            Open `memory_attention/recall.py`. Each function's docstring gives its
            arguments and return value with their shapes.

            1. `encode_traces(word_vectors, context_vectors, noise, rng)`: the traces $k_i$.
            2. `cue_capture(interval_ms, capture, tau_ms)`: the cue's share $a$.
            3. `build_query(probe, cue, capture)`: the query $q$.
            4. `retrieve(query, traces, word_vectors, lexicon, temperature)`: attend with
               your `DotProductAttention`, then name the nearest lexicon word.
            5. `response_time(weights, target, t0_ms, ms_per_bit, shift_ms)`: the RT.

            The experiment runners (`run_experiment`, `run_encoding_experiment`,
            `run_match_experiment`), `summarise` and the plotting helpers in
            `recall_plots.py` are given. Run the next cell until it prints five ✓.
            """),
        tests("mp3_check", """
            rng = np.random.default_rng(0)
            n, d = 5, 16
            words = rng.standard_normal((n, d))
            words /= np.linalg.norm(words, axis=1, keepdims=True)
            contexts = rng.standard_normal((n, d))
            contexts /= np.linalg.norm(contexts, axis=1, keepdims=True)

            traces = recall.encode_traces(words, contexts, 0.0, np.random.default_rng(1))
            assert np.shape(traces) == (n, d), f"traces: shape {np.shape(traces)}, expected (n, d)"
            clean = (words + contexts) / np.linalg.norm(words + contexts, axis=1, keepdims=True)
            assert np.allclose(traces, clean), "with noise 0 a trace is unit(word + context)"
            print("✓ encode_traces: one unit-length trace per word, word + context")

            assert recall.cue_capture(0.0, 0.7, 300.0) == 0.0, "no time, no shift"
            share = recall.cue_capture(300.0, 0.7, 300.0)
            assert np.isclose(share, 0.7 * (1 - np.exp(-1))), f"one time constant: got {share}"
            print("✓ cue_capture: 0 at once, capture · (1 − 1/e) after one time constant")

            assert np.allclose(recall.build_query(words[0], contexts[0], 0.0), words[0])
            assert np.allclose(recall.build_query(words[0], np.zeros(d), 0.6), words[0]), \\
                "a zero cue must leave the (unit) probe as it is"
            mixed = recall.build_query(words[0], contexts[0], 0.5)
            assert np.isclose(np.linalg.norm(mixed), 1.0), "the query must have length 1"
            print("✓ build_query: a unit-length mix of probe and cue")

            recalled, weights = recall.retrieve(contexts[2], clean, words, words, 0.01)
            assert np.shape(weights) == (n,) and np.isclose(np.sum(weights), 1.0)
            assert recalled == 2, f"cued with context 2, recall word 2, not word {recalled}"
            print("✓ retrieve: a context cue recalls the word studied with it")

            rt = recall.response_time(np.full(4, 0.25), 0, 400.0, 60.0, 150.0)
            assert np.isclose(rt, 400 + 60 * 2 + 150 * 0.75), f"uniform over 4: got {rt} ms"
            print("✓ response_time: t0 + 2 bits of entropy + reorienting 3/4 of attention")
            """, points=2),
        tests("mp3_hidden", """
            # Graded: more inputs for all five functions, and the whole experiment (hidden).
            assert callable(recall.encode_traces) and callable(recall.response_time)
            ### BEGIN HIDDEN TESTS
            rng = np.random.default_rng(11)
            n, d, noise = 6, 24, 0.8
            w, c = rng.standard_normal((n, d)), rng.standard_normal((n, d))
            raw = w + c + noise / np.sqrt(d) * np.random.default_rng(3).standard_normal((n, d))
            expected_traces = raw / np.linalg.norm(raw, axis=1, keepdims=True)
            got = recall.encode_traces(w, c, noise, np.random.default_rng(3))
            assert np.allclose(got, expected_traces), "encode_traces with noise"

            assert recall.cue_capture(-50.0, 0.7, 300.0) == 0.0, "negative interval"
            assert np.isclose(recall.cue_capture(1e6, 0.4, 200.0), 0.4), "long interval"
            assert np.isclose(recall.cue_capture(100.0, 0.5, 50.0), 0.5 * (1 - np.exp(-2)))

            p, cue = rng.standard_normal(d), rng.standard_normal(d)
            for a in (0.2, 0.7):
                mix = (1 - a) * p + a * cue
                assert np.allclose(recall.build_query(p, cue, a), mix / np.linalg.norm(mix))
            assert np.allclose(recall.build_query(p, cue, 1.0), cue / np.linalg.norm(cue))

            lexicon = rng.standard_normal((30, d))
            lexicon /= np.linalg.norm(lexicon, axis=1, keepdims=True)
            keys, values = rng.standard_normal((n, d)), lexicon[[4, 9, 13, 17, 21, 25]]
            query = rng.standard_normal(d)
            for t in (0.05, 0.5, 5.0):
                s = keys @ query / t
                e = np.exp(s - s.max())
                weights_expected = e / e.sum()
                mix = weights_expected @ values
                recalled, weights = recall.retrieve(query, keys, values, lexicon, t)
                assert np.allclose(weights, weights_expected), f"retrieve weights at T={t}"
                assert recalled == int(np.argmax(lexicon @ mix)), f"recalled word at T={t}"
                assert isinstance(recalled, (int, np.integer)), "recalled must be an index"

            weights = rng.dirichlet(np.ones(7))
            entropy = -(weights * np.log2(weights)).sum()
            for target in (0, 5):
                rt = recall.response_time(weights, target, 300.0, 80.0, 200.0)
                assert np.isclose(rt, 300 + 80 * entropy + 200 * (1 - weights[target]))

            table = recall.summarise(recall.run_experiment(n_trials=600, seed=21))
            assert table["valid"]["accuracy"] > table["invalid"]["accuracy"] + 0.15
            assert table["valid"]["rt_ms"] < table["invalid"]["rt_ms"]
            ### END HIDDEN TESTS
            """, points=3),
        md("mp3_run", """
            ## Experiment 1: Posner cueing, and encoding specificity

            `run_experiment` runs the Posner task: a third of the trials have a neutral
            cue; of the others, 80 % are valid and 20 % invalid. Every trial studies a
            new list, so trials are independent. `run_encoding_experiment` shows, with
            the probe, the study-context cue, no cue, or an extra-list associate.
            Each returns a **trial table**, one dict per trial.
            """),
        code("mp3_trials", """
            trials = recall.run_experiment(n_trials=1500, seed=0)
            for t in trials[:6]:
                print(f"{t['condition']:>8}  cue {t['cue'] or '-':>9}  target {t['target']:>9}"
                      f"  recalled {t['recalled']:>9}  correct {t['correct']!s:>5}"
                      f"  RT {t['rt_ms']:4.0f} ms")
            posner = recall.summarise(trials)
            encoding = recall.summarise(recall.run_encoding_experiment(n_trials=1500, seed=0))
            effects = recall.cueing_effects(posner)
            print(f"benefit {effects['rt_benefit_ms']:.0f} ± {effects['rt_benefit_ms_se']:.0f} ms,"
                  f" cost {effects['rt_cost_ms']:.0f} ± {effects['rt_cost_ms_se']:.0f} ms")
            fig = recall_plots.plot_by_condition({"Posner cueing (80 % valid)": posner,
                                                  "Encoding specificity": encoding})
            """),
        md("mp3_weights_md", """
            ## Experiment 2: where attention goes

            One typical valid trial (the target is recalled) and one typical invalid
            trial (an error). The orange bar is the probed target; the red outline marks
            the memory the cue pointed to.
            """),
        code("mp3_weights", """
            valid_trial, invalid_trial = recall.example_trials(seed=0)
            fig = recall_plots.plot_attention_weights(valid_trial, invalid_trial)
            """),
        md("mp3_temperature_md", """
            ## Experiment 3: temperature

            The same Posner task at temperatures from 0.005 to 3. Watch the accuracy, the
            gap between valid and invalid cues, and the entropy of the weights (0 bits:
            one memory takes all; 3 bits: uniform over the 8 memories).
            """),
        code("mp3_temperature", """
            temperatures = [0.005, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 3.0]
            by_temperature = recall.sweep("temperature", temperatures, n_trials=600, seed=0)
            fig = recall_plots.plot_temperature(temperatures, by_temperature,
                                                recall.Params().list_length)
            """),
        md("mp3_match_md", """
            ## Experiment 4: how well must the cue match?

            The cue now has a chosen cosine with the study context, from 0 (a random
            direction) to 1 (the study context itself). The dashed lines are the no-cue
            and extra-list-associate conditions of Experiment 1.
            """),
        code("mp3_match", """
            by_match = recall.summarise(recall.run_match_experiment(n_trials=300, seed=0),
                                        by="match")
            fig = recall_plots.plot_match_curve(by_match, {"none": encoding["none"],
                                                           "associate": encoding["associate"]})
            """),
        md("mp3_interval_md", """
            ## Experiment 5: the cue–target interval

            The Posner task at intervals from 0 to 800 ms. Half of the informative cues
            are valid here, so that valid and invalid trials get equal error bars (the
            model uses the cue the same way whatever its validity).
            """),
        code("mp3_interval", """
            intervals = [0, 100, 200, 400, 800]
            by_interval = recall.sweep("interval_ms", intervals, n_trials=1500, p_valid=0.5,
                                       seed=0)
            fig = recall_plots.plot_interval(intervals,
                                             [recall.cueing_effects(s) for s in by_interval])
            """),
        md("mp3_q1", """
            ## Questions

            ### Question 1 (2 points)
            Explain, with the model's query and its RT formula, why valid cues make
            recall faster and more accurate than neutral cues, and invalid cues slower
            and less accurate. Which term of the RT formula plays the role of Posner's
            "disengage, move, engage"?
            """),
        answer("mp3_answer_posner", """
            The query has unit length, so the cue takes a share $a$ of it away from the
            participant's own (noisy) reinstatement of the target's context. A **valid**
            cue is the target's intact study context: it raises the target's score,
            attention concentrates on the target (higher $w_{\\text{target}}$, lower
            entropy), the target is recalled more often, and both RT terms shrink. An
            **invalid** cue is another item's context: it raises that item's score and
            dilutes the probe, so attention goes to the cued memory, which is often
            recalled instead (an error). Its weight on the target is low, so the
            reorienting term $s\\,(1 - w_{\\text{target}})$ is large: attention must be
            disengaged from the cued memory and moved to the probed one. That term is
            Posner's reorienting; the entropy term is the Hick–Hyman cost of
            uncertainty, which can even be low on an invalid trial (attention is
            confidently on the wrong memory). A neutral cue leaves the query as the
            probe alone, so it sits in between.

            **Rubric (instructors only).** 1 point: the cue changes the query (unit
            length, limited attention) and so the attention on the target, which
            explains both accuracy effects. 1 point: names the reorienting term
            $s(1 - w_{\\text{target}})$ as "disengage, move, engage" and explains the
            RT ordering with it (the entropy term alone does not give invalid > neutral
            reliably). Half a point off for a correct answer that never mentions the
            query or the attention weights.
            """, points=2),
        md("mp3_q2", """
            ### Question 2 (2 points)
            Why does the extra-list associate do *worse than no cue* in this model,
            while the study-context cue does better? Use the curve of Experiment 4.
            Predict one parameter change that would make the associate *help*, and say
            whether that fits encoding specificity.
            """),
        answer("mp3_answer_encoding", """
            A cue takes its share of a unit-length query, so it helps only if it matches
            the target's trace better than the participant's own reinstatement does.
            The study-context cue matches the context half of the trace exactly: recall
            rises (right end of the curve). The associate matches only the *word* half
            of the trace, and only weakly (cosine 0.3 with the word), and has nothing
            in common with the study context. Like a cue with a low context match on
            the curve (between 0.25 and 0.5, below the no-cue line), it pushes out a
            better match and recall falls below no cue.

            Prediction: raise `associate_similarity` above about 0.5 (a closer
            associate), or make the reinstatement poorer (`probe_noise` 2), or lower
            `capture`: then the associate does as well as no cue or better. That fits
            encoding specificity: what counts is how well the cue matches the
            *encoded trace*, not how strongly it is associated with the word outside
            the experiment. Thomson & Tulving (1970) found just that: strong associates
            were good cues for words studied alone, not for words studied with a weak
            associate as their context.

            **Rubric (instructors only).** 1 point: the displacement argument (limited,
            unit-length query; a cue that matches the trace worse than the
            reinstatement costs), related to the match curve. 1 point: a parameter
            change in the right direction with a reason; any of the three above.
            """, points=2),
        md("mp3_q3", """
            ### Question 3 (2 points)
            What does the temperature do to retrieval, and why do the cueing effects
            shrink at high $T$? What would a very low $T$ predict about the spread of
            response times, and why is that unlike real data?
            """),
        answer("mp3_answer_temperature", """
            The scores are divided by $T$ before the softmax. At low $T$ the
            best-matching trace takes nearly all the weight (winner-take-all, entropy
            near 0 bits): the recalled word is the best match, and a cue that changes
            which trace matches best changes the answer, so cueing effects are large.
            At high $T$ the weights approach uniform (entropy near $\\log_2 8 = 3$
            bits); the retrieved vector is a blend of all studied words, so accuracy
            falls toward chance, and the cue's fixed change in the scores is divided by
            a large $T$, so it barely changes the weights: benefits and costs shrink
            toward 0.

            At very low $T$ the entropy is 0 and $w_{\\text{target}}$ is 0 or 1, so the
            RT takes only two values, $t_0$ or $t_0 + s$: no spread within a condition.
            Real RT distributions are continuous and right-skewed; intermediate
            temperatures (about 0.05 to 0.2) give graded RTs and effects of some tens
            of ms.

            **Rubric (instructors only).** 1 point: winner-take-all at low $T$ versus
            blending at high $T$, with the reason the effects shrink (score differences
            divided by $T$). 1 point: the two-valued RT prediction at low $T$ and why it
            is unrealistic.
            """, points=2),
    ]
