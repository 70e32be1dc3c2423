"""A tiny randomly initialised MusicGen of the real architecture, for tests and CI (no hub is reachable).

Same classes as facebook/musicgen-small (T5 text encoder, 32 kHz mono EnCodec
with 4 codebooks of 2048 codes at 50 frames/s, a MusicGen decoder with the
delay pattern, classifier-free guidance 3.0, top-k 250), shrunk to ~0.45 M
parameters; the tokenizer is a word-level `tokenizers` model built here.
`build_tiny(folder)` writes it with `save_pretrained`, so the backend loads it
exactly like a downloaded checkpoint. Seeded: the same bytes every build.

    .venv-train/bin/python -m optimize.musicgen.tiny /tmp/tiny-musicgen   # then --checkpoint /tmp/tiny-musicgen
"""

from __future__ import annotations

import sys
from pathlib import Path

# Words of the vibes in tests and the shipped splits' commonest words; anything else is <unk>.
WORDS = (
    "rain night warm dark bright slow fast city calm ambient techno piano soft deep cold sunny morning evening "
    "forest ocean dream drone pulse hazy glass neon storm quiet loud gentle lonely happy sad"
).split()
SPECIAL = ("<pad>", "</s>", "<unk>")
SAMPLE_RATE = 32000
CODEBOOK_SIZE = 2048  # as musicgen-small: the decoder's pad/start token is 2048, one past the last code


def tokenizer():
    """A word-level fast tokenizer (lower-cased, split on whitespace and punctuation, `</s>` appended as T5 does)."""
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers
    from tokenizers.processors import TemplateProcessing
    from transformers import PreTrainedTokenizerFast

    vocab = {word: index for index, word in enumerate(SPECIAL + tuple(WORDS))}
    core = Tokenizer(models.WordLevel(vocab, unk_token="<unk>"))
    core.normalizer = normalizers.Lowercase()
    core.pre_tokenizer = pre_tokenizers.Whitespace()
    core.post_processor = TemplateProcessing(single="$A </s>", special_tokens=[("</s>", vocab["</s>"])])
    return PreTrainedTokenizerFast(tokenizer_object=core, pad_token="<pad>", eos_token="</s>", unk_token="<unk>", model_max_length=64)


def build_tiny(folder: str | Path, seed: int = 0) -> Path:
    """Write a tiny random MusicGen (model, generation config, processor) into `folder`; returns it."""
    import torch
    from transformers import (
        EncodecConfig,
        EncodecFeatureExtractor,
        MusicgenConfig,
        MusicgenDecoderConfig,
        MusicgenForConditionalGeneration,
        MusicgenProcessor,
        T5Config,
    )

    from optimize.musicgen.model import quiet_transformers

    folder = Path(folder)
    words = tokenizer()
    text = T5Config(
        vocab_size=len(words), d_model=16, d_kv=8, d_ff=32, num_layers=1, num_heads=2, pad_token_id=0, eos_token_id=1, decoder_start_token_id=0
    )
    # hop 8*5*4*4 = 640 samples: 50 frames/s at 32 kHz; 2.2 kbps / (50 * 11 bits) = 4 codebooks, as musicgen-small
    audio = EncodecConfig(
        sampling_rate=SAMPLE_RATE,
        audio_channels=1,
        num_filters=4,
        hidden_size=16,
        upsampling_ratios=[8, 5, 4, 4],
        codebook_size=CODEBOOK_SIZE,
        codebook_dim=16,
        num_lstm_layers=1,
        num_residual_layers=1,
        compress=2,
        target_bandwidths=[2.2],
        use_causal_conv=False,
    )
    decoder = MusicgenDecoderConfig(
        vocab_size=CODEBOOK_SIZE,
        hidden_size=16,
        num_hidden_layers=1,
        num_attention_heads=2,
        ffn_dim=32,
        num_codebooks=audio.num_quantizers,
        max_position_embeddings=2048,
        pad_token_id=CODEBOOK_SIZE,
        bos_token_id=CODEBOOK_SIZE,
        decoder_start_token_id=CODEBOOK_SIZE,
    )
    config = MusicgenConfig(text_encoder=text.to_dict(), audio_encoder=audio.to_dict(), decoder=decoder.to_dict())
    generator = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)
    model = MusicgenForConditionalGeneration(config)
    # EnCodec's codebooks start as zeros (they are learnt by k-means): with them every code decodes alike.
    for quantizer in model.audio_encoder.quantizer.layers:
        quantizer.codebook.embed.copy_(torch.randn(quantizer.codebook.embed.shape, generator=generator))
    model.generation_config.update(
        do_sample=True,
        guidance_scale=3.0,
        top_k=250,
        max_length=1500,
        pad_token_id=CODEBOOK_SIZE,
        bos_token_id=CODEBOOK_SIZE,
        decoder_start_token_id=CODEBOOK_SIZE,
    )
    features = EncodecFeatureExtractor(feature_size=1, sampling_rate=SAMPLE_RATE, padding_value=0.0)
    with quiet_transformers():
        model.save_pretrained(folder)
        MusicgenProcessor(feature_extractor=features, tokenizer=words).save_pretrained(folder)
    return folder


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python -m optimize.musicgen.tiny FOLDER")
    print(build_tiny(sys.argv[1]))
