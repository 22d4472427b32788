"""The playground's layout in Gradio: one tab per page, each wired to the plain-Python
function that computes it (:mod:`.tokens` ...). Imported only by ``tokemb serve``."""

from __future__ import annotations

import gradio as gr

from . import embeddings, generation, merges, songs, tokens

# System fonts only: a theme naming a Google font would make every page load fetch it.
SANS = ("ui-sans-serif", "system-ui", "sans-serif")
MONO = ("ui-monospace", "Consolas", "monospace")

CSS = """
.tokemb-message { color: #a00; background: #fff0f0; border: 1px solid #e0a0a0; padding: 0.5em 0.8em;
                  border-radius: 4px; }
.tokemb-summary td, .tokemb-summary th { padding: 0.2em 0.8em; text-align: left; }
.tokemb-summary td[data-agree='yes'] { color: #070; }
.tokemb-summary td[data-agree='no'] { color: #b00; font-weight: bold; }
.tokemb-steps table { border-collapse: collapse; margin-bottom: 1em; }
.tokemb-steps td, .tokemb-steps th { padding: 0.15em 0.7em; text-align: left; border-bottom: 1px solid #ddd; }
.tokemb-steps .part { font-family: ui-monospace, monospace; display: inline-block; margin: 0 3px 2px 0;
                      padding: 0 3px; border: 1px solid #999; border-radius: 3px; background: #eef3ff; }
.tokemb-heatmap td.sim { text-align: center; padding: 0.3em 0.6em; font-family: ui-monospace, monospace; }
.tokemb-heatmap th { text-align: left; padding: 0.2em 0.6em; font-weight: normal; }
.tokemb-neighbours td, .tokemb-neighbours th { padding: 0.1em 0.8em; text-align: left; }
.tokemb-generation .gen-text { font-size: 1.1em; line-height: 2; }
.tokemb-generation .gen-token { color: #000; padding: 1px 3px; margin: 0 1px; border: 1px solid rgba(0,0,0,0.4);
                                border-radius: 3px; white-space: pre-wrap; }
.tokemb-generation .gen-steps td, .tokemb-generation .gen-steps th { padding: 0.1em 0.7em; text-align: left; }
.tokemb-songs td, .tokemb-songs th { padding: 0.1em 0.8em; text-align: left; }
.tokemb-steps tr.final td { font-family: ui-monospace, monospace; color: #333; }
"""

DEFAULT_TOKENIZERS = ["bert-base-uncased", "gpt2", "cl100k_base", "phi-3"]  # tokemb tokens' defaults


def theme() -> gr.themes.Base:
    return gr.themes.Base(font=SANS, font_mono=MONO)


def progress_callback(progress: gr.Progress):
    """The pages' ``progress(fraction, text)`` callback on Gradio's progress bar."""
    return lambda fraction, desc: progress(fraction, desc=desc)


def tokens_tab() -> None:
    with gr.Tab("Tokens", id="tokens"):
        gr.Markdown("Scratch's split of a text, each token on the book's colours (hover a token for its id, "
                    "vocabulary entry and bytes), beside whether the reference library gives the same ids.")  # fmt: skip
        text = gr.Textbox(label="Text", value=tokens.example_text(), lines=4, elem_id="tokens-text")
        names = gr.CheckboxGroup(tokens.pretrained_names(), value=DEFAULT_TOKENIZERS, label="Pretrained tokenizers",
                                 elem_id="tokens-names")  # fmt: skip
        path = gr.Textbox(label="Or a path: a trained folder, tokenizer.json, .model or .gguf file", elem_id="tokens-path",
                          placeholder="/path/to/tokenizer.json")  # fmt: skip
        run = gr.Button("Tokenize", variant="primary", elem_id="tokens-run")
        summary = gr.HTML(elem_id="tokens-summary")
        split = gr.HTML(elem_id="tokens-view")

        def show(text_value, chosen, path_value, progress=gr.Progress()):
            return tokens.tokens_page(text_value, chosen, path_value, progress_callback(progress))

        gr.on([run.click, path.submit], show, [text, names, path], [summary, split])


def merges_tab() -> None:
    with gr.Tab("Merges", id="merges"):
        gr.Markdown("One word through the tokenizer's own algorithm, step by step: BPE's merges (byte-level: "
                    "lowest rank first; SentencePiece: highest score first), WordPiece's greedy longest match, "
                    "Unigram's Viterbi best path.")  # fmt: skip
        word = gr.Textbox(label="Word (or a few)", value="tokenization", elem_id="merges-text")
        name = gr.Radio(tokens.pretrained_names(), value="gpt2", label="Tokenizer", elem_id="merges-name")
        run = gr.Button("Show the steps", variant="primary", elem_id="merges-run")
        shown = gr.HTML(elem_id="merges-view")

        def show(word_value, name_value, progress=gr.Progress()):
            return merges.steps_page(name_value, word_value, progress_callback(progress))

        gr.on([run.click, word.submit], show, [word, name], [shown])


def embeddings_tab() -> None:
    with gr.Tab("Embeddings", id="embeddings"):
        gr.Markdown("### Sentence similarity\nScratch's SentenceEmbedder, the cosine similarity of every pair, "
                    "and how far it is from sentence-transformers.")  # fmt: skip
        sentences = gr.Textbox(label="Sentences, one per line", value=embeddings.DEFAULT_SENTENCES, lines=4,
                               elem_id="embed-sentences")  # fmt: skip
        model = gr.Radio(["minilm", "mpnet"], value="minilm", label="Model (all-MiniLM-L6-v2, all-mpnet-base-v2)",
                         elem_id="embed-model")  # fmt: skip
        run = gr.Button("Compare the sentences", variant="primary", elem_id="embed-run")
        heatmap = gr.HTML(elem_id="embed-heatmap")

        def show_heatmap(text, model_name, progress=gr.Progress()):
            return embeddings.heatmap_page(text, model_name, progress_callback(progress))

        run.click(show_heatmap, [sentences, model], [heatmap])

        gr.Markdown("### GloVe neighbours and analogies\nGloVe 6B 50d: a word's nearest words, or an analogy "
                    "(`king - man + woman`); scratch's KeyedVectors beside gensim's.")  # fmt: skip
        with gr.Row():
            query = gr.Textbox(label="Word or analogy", value="king - man + woman", elem_id="glove-query", scale=3)
            topn = gr.Number(label="How many", value=10, precision=0, minimum=1, maximum=50, elem_id="glove-topn")
        find = gr.Button("Find the neighbours", elem_id="glove-run")
        neighbours = gr.HTML(elem_id="glove-neighbours")

        def show_neighbours(query_value, topn_value, progress=gr.Progress()):
            return embeddings.neighbours_page(query_value, topn_value or 10, progress_callback(progress))

        gr.on([find.click, query.submit], show_neighbours, [query, topn], [neighbours])

        gr.Markdown("### Words in 2-D\nChosen words' GloVe vectors on their first two principal components.")
        words = gr.Textbox(label="Words", value="king queen man woman prince princess paris france rome italy",
                           elem_id="glove-words")  # fmt: skip
        draw = gr.Button("Project", elem_id="glove-project")
        picture = gr.HTML(elem_id="glove-picture")

        def show_projection(words_value, progress=gr.Progress()):
            return embeddings.projection_page(words_value, progress_callback(progress))

        gr.on([draw.click, words.submit], show_projection, [words], [picture])


def generation_tab() -> None:
    with gr.Tab("Generation", id="generation"):
        gr.Markdown("SmolLM2-135M-Instruct, from scratch, continuing a prompt token by token (greedy). "
                    "Hover a token for the model's top candidates at that step.")  # fmt: skip
        prompt = gr.Textbox(label="Prompt", value="The capital of France is", elem_id="gen-prompt")
        count = gr.Slider(1, generation.MAX_NEW_TOKENS, value=20, step=1, label="New tokens at most",
                          elem_id="gen-count")  # fmt: skip
        run = gr.Button("Generate", variant="primary", elem_id="gen-run")
        shown = gr.HTML(elem_id="gen-view")

        def show(prompt_value, count_value, progress=gr.Progress()):
            yield from generation.generation_stream(prompt_value, count_value, progress_callback(progress))

        gr.on([run.click, prompt.submit], show, [prompt, count], [shown])


def songs_tab() -> None:
    with gr.Tab("Songs", id="songs"):
        gr.Markdown("Songs recommended from playlists (word2vec on the `yes_complete` data set, the chapter's "
                    "last section): the nearest songs to the one you name.")  # fmt: skip
        with gr.Row():
            query = gr.Textbox(label="Song title (or a part of one) or id", value="Fade To Black",
                               elem_id="songs-query", scale=3)  # fmt: skip
            topn = gr.Number(label="How many", value=5, precision=0, minimum=1, maximum=50, elem_id="songs-topn")
        model = gr.Textbox(label="Model file (tokemb songs train)", value=songs.default_model(), elem_id="songs-model")
        with gr.Row():
            run = gr.Button("Recommend", variant="primary", elem_id="songs-run")
            train = gr.Button("Train the model (about a minute)", elem_id="songs-train")
        shown = gr.HTML(elem_id="songs-view")

        def show(query_value, topn_value, model_value, progress=gr.Progress()):
            return songs.recommend_page(query_value, topn_value or 5, model_value, progress_callback(progress))

        def train_model(model_value, progress=gr.Progress()):
            return songs.train_page(model_value, progress_callback(progress))

        gr.on([run.click, query.submit], show, [query, topn, model], [shown])
        train.click(train_model, [model], [shown])


def build() -> gr.Blocks:
    with gr.Blocks(title="tokemb playground", analytics_enabled=False) as app:
        gr.Markdown("# tokemb playground\nTokens and token embeddings from scratch, beside the reference libraries.")
        with gr.Tabs():
            tokens_tab()
            merges_tab()
            embeddings_tab()
            generation_tab()
            songs_tab()
    return app
