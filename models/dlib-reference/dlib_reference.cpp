// Reference outputs for FaceGallery's C# port of dlib's face alignment.
// For each photo: dlib's HOG frontal face detector (image upsampled once, boxes mapped back),
// the 5-point shape predictor on each box, and the 150x150 chip from
// get_face_chip_details(shape, 150, 0.25) + extract_image_chip. Writes one JSON document to
// stdout and the chips as PNG files into the output folder.
//   usage: dlib_reference SHAPE_PREDICTOR.dat OUT_DIR PHOTO...
#include <dlib/image_io.h>
#include <dlib/image_processing.h>
#include <dlib/image_processing/frontal_face_detector.h>
#include <dlib/image_transforms.h>

#include <cstdint>
#include <cstdio>
#include <iostream>
#include <string>

using namespace dlib;

namespace
{
    // FNV-1a over the decoded RGB bytes, so the C# decoder can prove it sees the same pixels.
    std::uint64_t fnv1a(const array2d<rgb_pixel>& img)
    {
        std::uint64_t h = 1469598103934665603ull;
        for (long r = 0; r < img.nr(); ++r)
            for (long c = 0; c < img.nc(); ++c)
                for (unsigned char b : {img[r][c].red, img[r][c].green, img[r][c].blue})
                {
                    h ^= b;
                    h *= 1099511628211ull;
                }
        return h;
    }

    std::string stem(const std::string& path)
    {
        auto slash = path.find_last_of('/');
        std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
        auto dot = name.find_last_of('.');
        return dot == std::string::npos ? name : name.substr(0, dot);
    }

    std::string file_name(const std::string& path)
    {
        auto slash = path.find_last_of('/');
        return slash == std::string::npos ? path : path.substr(slash + 1);
    }
}

int main(int argc, char** argv)
{
    if (argc < 4)
    {
        std::cerr << "usage: dlib_reference SHAPE_PREDICTOR.dat OUT_DIR PHOTO...\n";
        return 2;
    }
    shape_predictor sp;
    deserialize(argv[1]) >> sp;
    const std::string out_dir = argv[2];
    frontal_face_detector detector = get_frontal_face_detector();
    pyramid_down<2> pyr;

    std::cout << "{\n  \"chipSize\": 150,\n  \"chipPadding\": 0.25,\n  \"hogUpsample\": 1,\n  \"photos\": [";
    for (int a = 3; a < argc; ++a)
    {
        const std::string path = argv[a];
        array2d<rgb_pixel> img;
        load_image(img, path);

        array2d<rgb_pixel> up;
        pyramid_up(img, up, pyr);
        std::vector<rect_detection> dets;
        detector(up, dets);

        std::printf("%s\n    {\"file\": \"%s\", \"width\": %ld, \"height\": %ld, \"rgbFnv1a\": \"%016llx\", \"faces\": [",
                    a == 3 ? "" : ",", file_name(path).c_str(), img.nc(), img.nr(),
                    static_cast<unsigned long long>(fnv1a(img)));
        for (size_t i = 0; i < dets.size(); ++i)
        {
            const rectangle box = pyr.rect_down(dets[i].rect, 1);
            const full_object_detection shape = sp(img, box);
            const chip_details details = get_face_chip_details(shape, 150, 0.25);
            array2d<rgb_pixel> chip;
            extract_image_chip(img, details, chip);
            const std::string chip_name = stem(path) + "_" + std::to_string(i) + ".png";
            save_png(chip, out_dir + "/" + chip_name);

            std::printf("%s\n      {\"box\": [%ld, %ld, %ld, %ld], \"score\": %.6f, \"landmarks\": [",
                        i == 0 ? "" : ",", box.left(), box.top(), box.right(), box.bottom(), dets[i].detection_confidence);
            for (unsigned long k = 0; k < shape.num_parts(); ++k)
                std::printf("%s[%ld, %ld]", k == 0 ? "" : ", ", shape.part(k).x(), shape.part(k).y());
            std::printf("],\n       \"chipRect\": [%.9f, %.9f, %.9f, %.9f], \"chipAngle\": %.12f, \"chip\": \"%s\"}",
                        details.rect.left(), details.rect.top(), details.rect.right(), details.rect.bottom(),
                        details.angle, chip_name.c_str());
        }
        std::printf("]}");
    }
    std::printf("\n  ]\n}\n");
    return 0;
}
