"""How well does the upload check find faces? (issue 5: images with faces are flagged so a
moderator confirms consent for the pupils shown, A.5.2 and 6.9.)

Runs ``socialguard.community.images.face_boxes`` (OpenCV's bundled Haar cascade, offline) on
real photographs that ship inside PyPI packages, so nothing is downloaded:

- portraits: scikit-image's ``astronaut`` (NASA, public domain) and ``camera`` and
  matplotlib's ``grace_hopper`` (US Navy, public domain), each also mirrored, halved, doubled,
  darkened and recompressed, and pasted into group pictures on real backgrounds;
- scenes without people: scikit-image's cat, coffee, rocket, horse, coins, moon, bricks,
  grass, gravel, page, text, retina and Hubble images and scikit-learn's two sample photos,
  with the same variations;
- the LFW subset in scikit-image: 100 face crops and 100 non-face crops (25x25, scaled up).

Prints image-level precision (of the images flagged, how many show a face) and recall.

    make bench-faces      # builds .venv-faces with scikit-image, matplotlib, scikit-learn
"""

from __future__ import annotations

import io
import sys
import time
from pathlib import Path

import numpy as np
from PIL import Image, ImageEnhance, ImageOps

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from socialguard.community.images import face_boxes


def skimage_image(name: str) -> Image.Image:
    from skimage import data

    array = getattr(data, name)()
    return Image.fromarray(array).convert("RGB")


def grace_hopper() -> Image.Image:
    import matplotlib.cbook

    with matplotlib.cbook.get_sample_data("grace_hopper.jpg") as handle:
        return Image.open(handle).convert("RGB")


def sklearn_photos() -> list[Image.Image]:
    from sklearn.datasets import load_sample_images

    return [Image.fromarray(a) for a in load_sample_images().images]


def variations(image: Image.Image) -> list[tuple[str, Image.Image]]:
    jpeg = io.BytesIO()
    image.save(jpeg, format="JPEG", quality=35)
    return [
        ("original", image),
        ("mirrored", ImageOps.mirror(image)),
        ("half", image.resize((image.width // 2, image.height // 2))),
        ("double", image.resize((image.width * 2, image.height * 2))),
        ("dark", ImageEnhance.Brightness(image).enhance(0.55)),
        ("jpeg35", Image.open(io.BytesIO(jpeg.getvalue())).convert("RGB")),
    ]


def group(faces: list[Image.Image], background: Image.Image) -> Image.Image:
    canvas = background.resize((1200, 800)).copy()
    for n, face in enumerate(faces):
        tile = face.resize((300, round(300 * face.height / face.width)))
        canvas.paste(tile, (40 + n * 380, 120 + (n % 2) * 160))
    return canvas


def lfw() -> tuple[list[Image.Image], list[Image.Image]]:
    from skimage import data

    crops = data.lfw_subset()  # 200 x 25 x 25: the first 100 are faces

    def framed(a: np.ndarray) -> Image.Image:
        tile = Image.fromarray((a * 255).astype("uint8")).resize((100, 100), Image.BICUBIC)
        canvas = Image.new("L", (160, 160), 128)
        canvas.paste(tile, (30, 30))
        return canvas.convert("RGB")

    return [framed(a) for a in crops[:100]], [framed(a) for a in crops[100:]]


def score(name: str, positives: list[Image.Image], negatives: list[Image.Image]) -> None:
    started = time.perf_counter()
    tp = sum(1 for image in positives if face_boxes(image))
    fp = sum(1 for image in negatives if face_boxes(image))
    elapsed = (time.perf_counter() - started) / (len(positives) + len(negatives))
    precision = tp / (tp + fp) if tp + fp else float("nan")
    recall = tp / len(positives)
    print(
        f"{name:<34} faces {len(positives):>4}  no faces {len(negatives):>4}  "
        f"flagged {tp + fp:>4}  precision {precision:6.1%}  recall {recall:6.1%}  "
        f"{elapsed * 1000:6.1f} ms/image"
    )


def main() -> None:
    portraits = [skimage_image("astronaut"), skimage_image("camera"), grace_hopper()]
    scene_names = [
        "chelsea",
        "coffee",
        "rocket",
        "horse",
        "coins",
        "moon",
        "brick",
        "grass",
        "gravel",
        "page",
        "text",
        "retina",
        "hubble_deep_field",
    ]
    scenes = [skimage_image(n) for n in scene_names] + sklearn_photos()
    positives = [v for p in portraits for _, v in variations(p)]
    positives += [group(portraits, bg) for bg in scenes[:6]]
    positives += [group(portraits[::-1], bg) for bg in scenes[6:12]]
    negatives = [v for s in scenes for _, v in variations(s)]
    print("Face detection: OpenCV Haar cascade (haarcascade_frontalface_alt2), offline\n")
    score("photographs and group pictures", positives, negatives)
    faces, others = lfw()
    score("LFW subset (25x25 crops, scaled)", faces, others)
    score("all", positives + faces, negatives + others)


if __name__ == "__main__":
    main()
