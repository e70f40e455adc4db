"""Mini-Project 3 notebook: cued recall by attention, answered by a race (retro-cueing,
cue validity, encoding specificity), with the student's own experiment."""

from recallkit.authoring.cells import answer, code, md

FILENAME = "06_cued_recall.ipynb"


def cells() -> list:
    """The cells of ``06_cued_recall.ipynb``, in order."""
    return [
        md("mp3_intro", r"""
            # Mini-Project 3: Cued recall with attention

            You have built every piece of dot-product attention. Now use it as a model
            of **recalling a word from memory when given a cue**: build the model's
            missing parts, test it against findings it should explain, run an experiment
            of your own design, and find where it breaks.

            The findings:

            1. **Encoding specificity** (Tulving & Thomson, 1973). A cue helps recall to
               the extent that it was part of how the word was encoded. The defining
               result: a weak associate present at study (*train* for BLACK) is a better
               cue than a strong associate that was not (*white*) (Thomson & Tulving,
               1970). Roediger & Payne (1983) had homographs (*iron*) studied after
               words of one category (metals or utensils): the congruous category name >
               free recall > the name of the *other*, unencoded category, a strong cue that
               fails because its relation to the word was not encoded.
            2. **Cost-benefit cueing** (Posner, 1980). A cue that predicts where the
               target will be brings a **benefit** when valid and a **cost** when
               invalid, both measured against a neutral cue. In Posner's detection task
               these effects are in response time (some tens of ms) while accuracy is
               near ceiling. A cue that points to one item *held in memory* is a
               **retro-cue** (Griffin & Nobre, 2003; review by Souza & Oberauer, 2016),
               where benefits appear in both accuracy and RT. That is our task.
            3. **Cue validity and time.** People use a cue as far as it is predictive:
               invalid retro-cues cost at 80 % validity but not at 50 % (Gunseli et al.,
               2015). For central, predictive cues the effects build up over
               the first few hundred ms and then plateau (Müller & Rabbitt, 1989).
               Peripheral cues (a flash at one location) differ: their benefit peaks at
               about 100–150 ms and turns into **inhibition of return** beyond about
               300 ms (Posner & Cohen, 1984; Klein, 2000). Our model has only the
               build-up, so it does not describe peripheral cues.

            **Your job** (`memory_attention/recall.py`, every TODO marked `Mini-Project 3`):
            five model functions, two "break the model" answers, and your own experiment;
            then the written questions at the end.
            """),
        code("mp3_setup", """
            %matplotlib inline
            %load_ext autoreload
            %autoreload 2
            import numpy as np
            from memory_attention import recall, recall_checks, recall_plots, sizing

            SEEDS = (0, 1, 2, 3, 4)  # five simulated participants
            # sizing.for_grading(name=(full, graded)): the full size when you run a cell; when
            # nbgrader runs it to grade the notebook, the smaller one (nothing there is graded).
            """),
        md("mp3_model", r"""
            ## The model

            **Study.** On each trial a list of $n = 8$ words is studied, each paired with
            a context word. Word $i$ leaves a memory **trace** that binds its vector
            $w_i$ to its context's vector $c_i$, with Gaussian encoding noise:
            $k_i = \mathrm{unit}(w_i + c_i + \varepsilon_i)$. A word studied *alone* has
            no $c_i$ in its trace. The traces are the keys of Demo 5.

            **Test.** One studied item, the **target**, is probed: the participant is
            shown its study context and reinstates it imperfectly, the **probe**
            $p = \mathrm{unit}(c_t + \text{noise})$. Before the probe a retro-cue may point
            to one studied item: **valid** (the target), **invalid** (another item) or
            **neutral** (no item).

            **Retrieval is a race** (Luce, 1959; Bundesen's 1990 theory of visual
            attention, TVA). Each trace has an accumulator that finishes after an
            exponential time with rate

            $$v_i = r \cdot \underbrace{e^{\,p\cdot k_i / T}}_{\text{evidence}} \cdot
            \underbrace{\pi_i}_{\text{attention}}, \qquad
            \pi = \mathrm{softmax}\!\big(a\,(\text{cue}\cdot k) / T\big).$$

            The first accumulator to finish gives the answer, and
            $\mathrm{RT} = t_0 + $ its finishing time. Three consequences:

            * $P(\text{trace } i \text{ wins}) = v_i / \sum_j v_j =
              \mathrm{softmax}\big((p + a\,\text{cue})\cdot k / T\big)_i$: exactly the
              attention weights of Demo 5 with the query $p + a\,\text{cue}$.
            * The finishing time of the winner is exponential with rate $\sum_j v_j$, so
              RTs are **right-skewed**. The total rate is the evidence averaged under the
              cue's attention: a cue that draws attention to a trace with little evidence
              (invalid) slows every answer. Nothing in the race knows which item is the
              target.
            * With fixed rates, correct and error RTs of a race have the same distribution.
              Here the rates vary from trial to trial (encoding and probe noise), like the
              drift variability of accumulator models (Ratcliff, 1978; Brown & Heathcote,
              2008), so errors come out slower than correct answers.

            **The cue's share** $a$ grows with the cue's reliability and with time since
            the cue: $a = \text{capture}\cdot\text{reliability}\cdot(1 - e^{-\Delta t/\tau})$,
            where reliability $= (p_\text{valid} - 1/n)/(1 - 1/n)$, clipped to $[0, 1]$.

            | parameter | default | meaning |
            |---|---|---|
            | `noise` | 2.5 | encoding noise: length of $\varepsilon_i$ (see below) |
            | `probe_noise` | 1.0 | how imperfectly the study context is reinstated |
            | `temperature` | 0.1 | $T$ of the evidence and of the attention |
            | `capture` | 0.9 | share an always-valid cue takes once attention has moved |
            | `tau_ms`, `interval_ms` | 150, 400 | build-up constant $\tau$; interval $\Delta t$ |
            | `p_valid` | 0.8 | proportion of informative cues that are valid (learned) |
            | `associate_similarity` | 0.5 | cosine of the extra-list associate with the word |
            | `t0_ms`, `rate_per_ms` | 300, 0.002 | non-decision time $t_0$; base rate $r$ |

            A word has length 1 and the noise length 2.5, but a score sees only the
            noise's projection on one direction, SD $2.5/\sqrt{64} \approx 0.31$: the
            effect sizes are tuned to $d = 64$, and at $d \ge 256$ recall is at ceiling.
            For unit vectors a transformer's $q\cdot k/\sqrt{d}$ is a softmax of cosines
            at $T = 1/\sqrt{d}$, 0.125 at $d = 64$: close to our default.
            """),
        code("mp3_params", """
            print(recall.describe())
            print("\\nThe claims below are checked (tests/test_recall_science.py) over:")
            for name, (low, high) in recall.CLAIM_REGION.items():
                print(f"  {name} from {low} to {high}")
            """),
        md("mp3_cannot", """
            > **What this model cannot do.** It has no free recall (every query is
            > item-specific), no omissions ("don't know") and no intrusions from outside
            > the list; no inhibition of return, so it does not describe peripheral cues;
            > its encoding stores the word whatever its context, so a strong associate
            > always works (unlike Thomson & Tulving, 1970); and its accuracy effects of
            > cueing are far larger than in Posner's detection task. Its effects hold in
            > the parameter region printed above; outside it some vanish or reverse.
            """),
        md("mp3_todo", """
            ## Part 1: build the model (five functions)

            Each function's docstring gives its arguments and return value with shapes.

            1. `encode_traces(word_vectors, context_vectors, noise, rng)`: the traces $k_i$.
            2. `cue_reliability(p_valid, list_length)`: 0 at chance, 1 when always valid.
            3. `cue_capture(interval_ms, capture, tau_ms)`: the build-up over time.
            4. `race_rates(probe_scores, cue_scores, share, temperature, rate_per_ms)`:
               evidence times attention (use your Demo 4 `softmax`).
            5. `race(rates, t0_ms, rng)`: exponential finishing times; the first wins.

            The experiment runners (`run_posner`, `run_encoding`, `run_match`),
            `summarise`, `cueing_effects` and the plots in `recall_plots.py` are given.
            Run the next cell until every line starts with ✓.
            """),
        code("mp3_check", """
            # Not graded: the module is graded once, by its hidden suite, when you submit.
            # These checks show what that suite will look for.
            recall_checks.check_encode_traces(recall)
            recall_checks.check_cue_reliability(recall)
            recall_checks.check_cue_capture(recall)
            recall_checks.check_race_rates(recall)
            recall_checks.check_race(recall)
            """),
        md("mp3_predict_md", """
            ## Part 2: predict, then run

            Before you run Experiment 1, write down your predictions: the order of the
            three cue conditions in accuracy and in correct RT; which cue works better
            for words studied with their context and for words studied alone; and
            whether errors will be faster or slower than correct answers. Give a reason
            from the model for each.
            """),
        answer("mp3_answer_predict", """
            Valid > neutral > invalid in accuracy, and the reverse in correct RT: the cue's
            attention multiplies the target's evidence (valid) or moves it to a trace with
            little evidence (invalid), which changes both who wins and the total rate. For
            words studied with their context the study-context cue beats the associate
            (the context is half of the trace, the associate matches the word only at
            cosine 0.5); studied alone the context cue is useless (chance) and the
            associate wins. Errors slower: trials with weak evidence are both slower and
            more often lost by the target.

            **Rubric (instructors only).** 1 point for predictions with a model-based reason
            for each; predictions need not be right, reasons must be about the model.
            """, points=1),
        md("mp3_run_md", """
            ### Experiment 1: retro-cueing and the 2 × 2 encoding design

            `run_posner` runs the cueing task: a third of the trials neutral, the others
            80 % valid. `run_encoding` runs the 2 × 2: words studied with their context
            or alone × a study-context cue or an extra-list associate at test (the cue
            alone, no probe). Each seed is one simulated participant; the plots show the
            mean and ±1 SE over the five seeds.
            """),
        code("mp3_run", """
            size = sizing.for_grading(seeds=(SEEDS, SEEDS[:3]), posner_trials=(900, 300),
                                      encoding_trials=(800, 400))
            posner = [recall.summarise(recall.run_posner(size.posner_trials, seed=s))
                      for s in size.seeds]
            encoding = [recall.summarise(recall.run_encoding(size.encoding_trials, seed=s))
                        for s in size.seeds]
            by_seed = dict(zip(size.seeds, posner, strict=True))
            effects = recall.over_seeds(lambda s: recall.cueing_effects(by_seed[s]), size.seeds)
            for key in ("rt_benefit_ms", "rt_cost_ms"):
                print(f"{key}: {effects[key][0]:.0f} ± {effects[key][1]:.0f} ms over seeds")
            fig = recall_plots.plot_conditions(posner, encoding, recall.Params().p_valid)
            """),
        md("mp3_rt_md", """
            ### Experiment 2: RT distributions, and the closed-form rule it replaces

            An earlier version of this kit computed the RT in closed form,
            $t_0 + b\\,H(w) + s\\,(1 - w_\\text{target})$, charging time for the entropy
            of the weights and for the attention away from the *target*. The right panel
            shows it on the same trials. (An entropy charge is only loosely inspired by the
            Hick–Hyman law, whose $H$ is the uncertainty of the stimulus set across trials,
            not of attention within one trial.)
            """),
        code("mp3_rt", """
            size = sizing.for_grading(trials=(1500, 600))
            trials = recall.run_posner(size.trials, seed=0, balanced=True)
            for condition in recall.POSNER_CONDITIONS:
                race = [t["rt_ms"] for t in trials if t["condition"] == condition]
                rule = [t["closed_form_rt_ms"] for t in trials if t["condition"] == condition]
                print(f"{condition:>8}: skewness race {recall.skewness(race):+.2f}, "
                      f"closed-form rule {recall.skewness(rule):+.2f} (max {max(rule):.0f} ms)")
            fig = recall_plots.plot_rt_distributions(trials)
            """),
        md("mp3_weights_md", """
            ### Experiment 3: where attention goes

            The mean probability of winning the race (= the attention weight) of the
            target, of the item an invalid cue points to, and of another studied item.
            """),
        code("mp3_weights", """
            size = sizing.for_grading(seeds=(SEEDS, SEEDS[:3]), trials=(900, 300))
            profiles = [recall.weight_profiles(recall.run_posner(size.trials, seed=s))
                        for s in size.seeds]
            fig = recall_plots.plot_weight_profiles(profiles)
            """),
        md("mp3_temperature_md", """
            ### Experiment 4: temperature

            The cueing task at temperatures from 0.02 to 3.
            """),
        code("mp3_temperature", """
            size = sizing.for_grading(temperatures=([0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 3.0],
                                                    [0.02, 0.1, 0.5, 3.0]),
                                      seeds=(SEEDS, SEEDS[:3]), trials=(450, 150))
            by_temperature = [[recall.summarise(recall.run_posner(size.trials, seed=s,
                                                                  temperature=t))
                               for s in size.seeds] for t in size.temperatures]
            fig = recall_plots.plot_temperature(size.temperatures, by_temperature,
                                                recall.Params().list_length)
            """),
        md("mp3_time_md", """
            ### Experiment 5: time and validity

            Benefit and cost against the cue–probe interval (at 80 % validity), and
            against the cue's validity (at 400 ms). These runs simulate equal numbers of
            valid, neutral and invalid trials for equal error bars; the participant still
            uses the cue as its validity says.
            """),
        code("mp3_time", """
            size = sizing.for_grading(intervals=([0, 100, 200, 400, 800], [0, 200, 800]),
                                      validities=([0.125, 0.3, 0.5, 0.8, 0.95], [0.125, 0.5, 0.95]),
                                      seeds=(SEEDS, SEEDS[:3]), trials=(450, 150))


            def effects_of(**params):
                return [recall.cueing_effects(recall.summarise(recall.run_posner(
                    size.trials, seed=s, balanced=True, **params))) for s in size.seeds]


            fig = recall_plots.plot_time_and_validity(
                size.intervals, [effects_of(interval_ms=i) for i in size.intervals],
                size.validities, [effects_of(p_valid=p) for p in size.validities])
            """),
        md("mp3_match_md", """
            ### Experiment 6: how well must the cue match?

            Words studied with their context; the cue at test has a chosen cosine with the
            study context, from 0 (a random direction) to 1 (the context itself).
            """),
        code("mp3_match", """
            size = sizing.for_grading(seeds=(SEEDS, SEEDS[:3]), trials_per_match=(150, 50))
            by_match = [recall.summarise(recall.run_match(n_trials=size.trials_per_match, seed=s),
                                         by="match") for s in size.seeds]
            fig = recall_plots.plot_match_curve(by_match, recall.Params().list_length)
            """),
        md("mp3_break_md", """
            ## Part 3: break the model

            Complete `break_valid_benefit()` (parameter values under which valid cues no
            longer speed answers) and `break_encoding_specificity()` (parameter values
            under which an extra-list associate recalls words studied with their context
            as well as the study-context cue does). Explain both in Question 4.
            """),
        code("mp3_break_check", """
            # Not graded here: the hidden suite runs your parameter values on the reference model.
            recall_checks.check_break_valid_benefit(recall)
            recall_checks.check_break_encoding_specificity(recall)
            """),
        md("mp3_experiment_md", """
            ## Part 4: your experiment

            Design one experiment the model has not been put through above: for example
            the list length (a fan-like effect), the probe noise, the cue–probe interval
            at 50 % validity, or the associate's similarity after each kind of encoding.

            1. Write your prediction in the answer cell below *before* running it.
            2. Complete `my_experiment(seeds)` in `recall.py`: it returns
               `{condition label: [your measure in each seed]}`.
            3. Run the next cell, then describe the design (conditions, trials per seed,
               measure), the result with standard errors, and what it tells you.
            """),
        code("mp3_experiment", """
            results = recall.my_experiment(SEEDS)
            recall_checks.check_my_experiment(results, SEEDS)
            for label, values in results.items():
                mean, se = recall.mean_and_se(values)
                print(f"{label}: {mean:.3f} ± {se:.3f} (mean ± SE over {len(SEEDS)} seeds)")
            fig = recall_plots.plot_seed_means(results, ylabel="your measure (unit)",
                                               title="My experiment")
            """),
        answer("mp3_answer_experiment", """
            **Design.** List length $n$ = 2, 4, 8, 16; neutral cues only; 200 trials per
            condition and seed, 5 seeds; measure: mean correct RT (and accuracy).
            **Prediction.** Under uniform attention each accumulator gets $1/n$ of the
            capacity, so the total rate is the *mean* evidence over the list; more items
            with little evidence lower it: RT should grow with $n$, and accuracy fall.
            **Result** (reference, seeds 0–4): correct RT 399 ± 5, 421 ± 8, 434 ± 9,
            474 ± 7 ms; accuracy 88, 66, 47, 33 %. RT grows by about 25 ms per doubling
            of $n$, like a fan effect (Anderson, 1974). **Interpretation.** The growth
            comes from the fixed capacity of TVA, not from a serial search; a model in
            which items did not share capacity would predict no slowing. Limit: five
            simulated participants of one model, not data.

            **Rubric (instructors only).** 1 point: a prediction stated before the result,
            with a reason. 1 point: conditions, trials and seeds stated, result with SEs
            and a plot with a truthful title and axis label. 1 point: an interpretation
            that names the mechanism in the model and one limit of the conclusion.
            """, points=3),
        md("mp3_data_md", """
            ## Part 5: the model against published effects

            The kit ships a small table of published effects. "(check)" marks a detail
            cited from memory: verify it in the paper before you rely on it.
            """),
        code("mp3_data", """
            for row in recall.PUBLISHED_EFFECTS:
                print(f"- {row['effect']}: {row['finding']} [{row['source']}]")
            """),
        md("mp3_q1", """
            ## Questions

            ### Question 1 (2 points)
            Using the rate equation, explain why valid cues make recall faster and more
            accurate than neutral ones, and invalid cues slower and less accurate. Why does
            the race produce a cost in RT without knowing which item is the target?
            """),
        answer("mp3_answer_posner", """
            Winner probabilities are $v_i/\\sum v$, i.e. the attention weights of the query
            $p + a\\,\\text{cue}$. A valid cue puts the attention $\\pi$ on the target,
            whose evidence $e^{p\\cdot k_t/T}$ is the largest (the probe matches its
            context): the target wins more often (accuracy up) and the total rate
            $\\sum_i v_i = r\\sum_i \\pi_i e^{p\\cdot k_i/T}$, the evidence averaged under
            attention, is high (RT down). A neutral cue spreads attention uniformly: the
            total rate is the plain mean of the evidence. An invalid cue concentrates
            attention on a trace with little evidence: that trace often wins (an error),
            the target wins less often, and the average evidence under attention is low,
            so *all* answers are slow, correct or not. The cost arises from where
            attention is, not from a term that looks at the target.

            **Rubric (instructors only).** 1 point: accuracy via winner probabilities =
            normalised rates (attention times evidence). 1 point: RT via the total rate as
            evidence averaged under the cue's attention, and why no target identity is
            needed. Half a point off if the answer uses the closed-form rule's reorienting
            term instead.
            """, points=2),
        md("mp3_q2", """
            ### Question 2 (2 points)
            Describe the 2 × 2 result of Experiment 1 and explain the crossover. Then run
            `recall.run_encoding` with `associate_similarity=0.9`: does the model show
            Thomson & Tulving's (1970) failure of strong associates? Why or why not, and
            what change to the encoding would produce it?
            """),
        answer("mp3_answer_encoding", """
            Studied with its context, a word is recalled more often with the study-context
            cue (about 65 %) than with the associate (about 36 %); studied alone, the
            context cue is at chance (about 12 %, 1/8) and the associate works (about
            38 %): a crossover. A cue works as far as it matches the *trace*: the context
            is in the trace only if it was there at study, while the word is in the trace
            either way, so the associate (which matches the word) works after both
            encodings.

            With `associate_similarity=0.9` the associate recalls about 63 % after context
            encoding, nearly as well as the study context (65 %): **no failure of strong
            associates**, unlike Thomson & Tulving. The trace is an additive sum
            $w + c$: the word's own vector is stored whatever its context, so anything
            close to the word matches it. To produce the failure the *encoded word* must
            depend on the context, e.g. homographs with two sense vectors, the context
            selecting which is stored (Roediger & Payne, 1983), or conjunctive
            (outer-product) binding so that the word alone does not match the trace.

            **Rubric (instructors only).** 1 point: the crossover described with numbers
            and explained by trace overlap. 1 point: states that the model does *not*
            show the strong-associate failure, explains why (additive encoding), and
            names a context-dependent encoding that would.
            """, points=2),
        md("mp3_q3", """
            ### Question 3 (2 points)
            Compare the race with the closed-form rule (Experiment 2): shape of the RT
            distributions, what each needs to know, and errors versus correct answers.
            What happens to accuracy and RT as $T$ grows (Experiment 4), and why?
            """),
        answer("mp3_answer_temperature", """
            The race gives right-skewed RTs (skewness well above 0 in every condition, a
            long tail), like real RT distributions; the closed-form rule is bounded
            above by $t_0 + b\\log_2 n + s$ (730 ms) and is left-skewed for neutral and
            invalid cues. The rule needs the target's identity (its reorienting term),
            which the participant does not have; the race needs only the scores. In the
            race errors are slower than correct answers because rates vary across trials
            (a pure race with fixed rates would give equal distributions).

            As $T$ grows, the scores divided by $T$ shrink, so the attention weights
            approach uniform (entropy near $\\log_2 8 = 3$ bits): accuracy falls to chance
            and the cue's effect on who wins vanishes. The rates $e^{p\\cdot k/T}$ also
            shrink toward $r$, so answers slow down. At very low $T$ invalid answers are
            very slow: attention is pinned on a trace whose evidence $e^{p\\cdot k/T}$ is
            tiny.

            **Rubric (instructors only).** 1 point: skew and boundedness, and the oracle
            problem of the closed-form rule. 1 point: accuracy to chance and slower RTs
            at high $T$, with the reason (scores divided by $T$).
            """, points=2),
        md("mp3_q4", """
            ### Question 4 (2 points)
            Explain why each of your "break the model" answers works. Then compare the
            model with the published effects above: name two it reproduces and two it does
            not, and say what you would change first.
            """),
        answer("mp3_answer_break", """
            `p_valid = 0.125` (chance for 8 items) gives the cue reliability 0, so it takes
            no share and valid and neutral trials are the same computation (as do
            `capture = 0` or `interval_ms = 0`). `associate_similarity = 1.0` makes the
            associate the word itself; the word is half of every trace whatever the
            encoding, so it matches the trace as well as the context does.

            Reproduced: the cost-benefit ordering in RT; larger effects with more valid
            cues (the RT cost shrinks to about a third at 50 % validity, cf. Gunseli et al.,
            2015);
            build-up and plateau for central cues; right-skewed RTs and slow errors; a
            fan-like slowing with list length. Not reproduced: inhibition of return; the
            strong-associate failure and Roediger & Payne's ordering (no senses, no free
            recall); accuracy near ceiling in Posner's task. First change: context-
            dependent encoding (sense vectors), because encoding specificity is the
            project's central claim.

            **Rubric (instructors only).** 1 point: both breaks explained by the
            mechanism. 1 point: two matches and two mismatches, each tied to the table,
            and a justified first change.
            """, points=2),
    ]
