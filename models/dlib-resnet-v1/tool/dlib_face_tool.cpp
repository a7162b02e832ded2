// Project tooling around dlib's face descriptor network, built against Debian's libdlib-dev.
//
//   dlib_face_tool export MODEL.dat OUT_DIR
//       Writes OUT_DIR/layers.txt (one line per dlib layer, index 0 = top) and OUT_DIR/params.bin
//       (every parameter as little-endian float32, at the offsets layers.txt names). build_onnx.py
//       turns the pair into the ONNX graph.
//   dlib_face_tool describe MODEL.dat CHIP...
//       dlib's own descriptor of each aligned 150x150 chip, one JSON object per line.
//   dlib_face_tool faces MODEL.dat SHAPE5.dat CHIP_DIR IMAGE...
//       dlib's HOG detector, 5-point landmarks, get_face_chip_details(shape, 150, 0.25) and
//       extract_image_chip on each photo; chips saved as PNG in CHIP_DIR; one JSON object per photo.
//   dlib_face_tool bench MODEL.dat BATCH SECONDS CHIP...
//       Wall-clock and process-CPU milliseconds per face of dlib's own forward pass at the given batch size.
#include "face_network.h"

#include <dlib/image_io.h>
#include <dlib/image_processing.h>
#include <dlib/image_processing/frontal_face_detector.h>

#include <chrono>
#include <ctime>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace dlib;
using facetool::face_network;

namespace {

// Shortest text that reads back as the same float.
std::string num(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.9g", v);
    return buf;
}

std::string json_string(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

std::string json_vector(const matrix<float, 0, 1>& v) {
    std::string out = "[";
    for (long i = 0; i < v.size(); ++i) out += (i ? "," : "") + num(v(i));
    return out + "]";
}

class layer_writer {
public:
    // offset counts floats written so far; shared by every copy of the writer.
    layer_writer(std::ostream& text, std::ostream& params, size_t& offset) : text_(text), params_(params), offset_(offset) {}

    // Computational layers: describe the details object.
    template <typename DETAILS, typename SUBNET, typename E>
    void operator()(size_t index, add_layer<DETAILS, SUBNET, E>& l) { details(index, l.layer_details()); }

    template <unsigned long ID, typename SUBNET, typename E>
    void operator()(size_t index, add_tag_layer<ID, SUBNET, E>&) { text_ << index << " tag id=" << ID << "\n"; }

    template <template <typename> class TAG, typename SUBNET>
    void operator()(size_t index, add_skip_layer<TAG, SUBNET>&) {
        text_ << index << " skip id=" << tag_id<TAG>::id << "\n";
    }

    template <typename LOSS, typename SUBNET>
    void operator()(size_t index, add_loss_layer<LOSS, SUBNET>&) { text_ << index << " loss_metric\n"; }

    template <size_t NR, size_t NC>
    void operator()(size_t index, input_rgb_image_sized<NR, NC>& in) {
        text_ << index << " input_rgb rows=" << NR << " cols=" << NC << " avg_red=" << num(in.get_avg_red())
              << " avg_green=" << num(in.get_avg_green()) << " avg_blue=" << num(in.get_avg_blue()) << "\n";
    }

private:
    template <long F, long R, long C, int SY, int SX, int PY, int PX>
    void details(size_t index, const con_<F, R, C, SY, SX, PY, PX>& l) {
        const tensor& p = l.get_layer_params();
        const long bias = l.bias_is_disabled() ? 0 : l.num_filters();
        const long inputs = (static_cast<long>(p.size()) - bias) / (l.num_filters() * l.nr() * l.nc());
        text_ << index << " con filters=" << l.num_filters() << " inputs=" << inputs << " rows=" << l.nr()
              << " cols=" << l.nc() << " stride_y=" << l.stride_y() << " stride_x=" << l.stride_x()
              << " pad_y=" << l.padding_y() << " pad_x=" << l.padding_x() << " bias=" << (bias ? 1 : 0);
        write(p.host(), p.size());
    }

    void details(size_t index, const affine_& l) {
        // The alias instances must outlive the references taken from them.
        const auto gamma_alias = l.get_gamma();
        const auto beta_alias = l.get_beta();
        const tensor& gamma = gamma_alias.get();
        const tensor& beta = beta_alias.get();
        text_ << index << " affine mode=" << (l.get_mode() == CONV_MODE ? "conv" : "fc") << " channels=" << gamma.size();
        const size_t start = offset_;
        write(gamma.host(), gamma.size(), false);
        write(beta.host(), beta.size(), false);
        text_ << " offset=" << start << " count=" << (offset_ - start) << "\n";
    }

    template <unsigned long N, fc_bias_mode B>
    void details(size_t index, const fc_<N, B>& l) {
        const tensor& p = l.get_layer_params();
        text_ << index << " fc outputs=" << l.get_num_outputs() << " inputs=" << p.num_samples()
              << " bias=" << (B == FC_HAS_BIAS && !l.bias_is_disabled() ? 1 : 0);
        write(p.host(), p.size());
    }

    template <long R, long C, int SY, int SX, int PY, int PX>
    void details(size_t index, const max_pool_<R, C, SY, SX, PY, PX>& l) { pool(index, "max_pool", l); }

    template <long R, long C, int SY, int SX, int PY, int PX>
    void details(size_t index, const avg_pool_<R, C, SY, SX, PY, PX>& l) { pool(index, "avg_pool", l); }

    template <typename POOL>
    void pool(size_t index, const char* kind, const POOL& l) {
        // rows=cols=0 is dlib's "pool everything" (global pooling).
        text_ << index << " " << kind << " rows=" << l.nr() << " cols=" << l.nc() << " stride_y=" << l.stride_y()
              << " stride_x=" << l.stride_x() << " pad_y=" << l.padding_y() << " pad_x=" << l.padding_x() << "\n";
    }

    void details(size_t index, const relu_&) { text_ << index << " relu\n"; }

    template <template <typename> class TAG>
    void details(size_t index, const add_prev_<TAG>&) { text_ << index << " add_prev id=" << tag_id<TAG>::id << "\n"; }

    void write(const float* data, size_t count, bool close = true) {
        const size_t start = offset_;
        params_.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(count * sizeof(float)));
        offset_ += count;
        if (close) text_ << " offset=" << start << " count=" << count << "\n";
    }

    std::ostream& text_;
    std::ostream& params_;
    size_t& offset_;
};

int export_layers(const std::string& model, const fs::path& out_dir) {
    face_network net;
    deserialize(model) >> net;
    fs::create_directories(out_dir);
    std::ofstream text(out_dir / "layers.txt");
    std::ofstream params(out_dir / "params.bin", std::ios::binary);
    text << "# dlib layers, index 0 = top; offsets and counts in float32 elements of params.bin\n";
    size_t offset = 0;
    // Visits every layer from the top, the input layer (with its channel means) last.
    visit_layers(net, layer_writer(text, params, offset));
    return text && params ? 0 : 1;
}

matrix<rgb_pixel> load_chip(const std::string& path) {
    matrix<rgb_pixel> chip;
    load_image(chip, path);
    if (chip.nr() != 150 || chip.nc() != 150) throw std::runtime_error(path + " is not a 150x150 chip");
    return chip;
}

int describe(const std::string& model, const std::vector<std::string>& files) {
    face_network net;
    deserialize(model) >> net;
    std::vector<matrix<rgb_pixel>> chips;
    for (const auto& f : files) chips.push_back(load_chip(f));
    auto descriptors = net(chips);
    for (size_t i = 0; i < files.size(); ++i)
        std::cout << "{\"file\":" << json_string(files[i]) << ",\"descriptor\":" << json_vector(descriptors[i]) << "}\n";
    return 0;
}

int faces(const std::string& model, const std::string& shape_model, const fs::path& chip_dir,
          const std::vector<std::string>& images) {
    face_network net;
    deserialize(model) >> net;
    shape_predictor sp;
    deserialize(shape_model) >> sp;
    frontal_face_detector detector = get_frontal_face_detector();
    fs::create_directories(chip_dir);

    for (const auto& image_path : images) {
        matrix<rgb_pixel> img;
        load_image(img, image_path);
        std::vector<rect_detection> detections;
        detector(img, detections);  // no upsampling, dlib's default threshold
        std::vector<matrix<rgb_pixel>> chips;
        std::vector<std::string> entries;
        const std::string stem = fs::path(image_path).stem().string();
        for (size_t i = 0; i < detections.size(); ++i) {
            const rectangle& box = detections[i].rect;
            full_object_detection shape = sp(img, box);
            chip_details details = get_face_chip_details(shape, 150, 0.25);
            matrix<rgb_pixel> chip;
            extract_image_chip(img, details, chip);
            const std::string chip_name = stem + "_" + std::to_string(i) + ".png";
            save_png(chip, (chip_dir / chip_name).string());
            chips.push_back(chip);

            std::string e = "{\"box\":{\"left\":" + std::to_string(box.left()) + ",\"top\":" + std::to_string(box.top()) +
                            ",\"right\":" + std::to_string(box.right()) + ",\"bottom\":" + std::to_string(box.bottom()) +
                            "},\"score\":" + num(detections[i].detection_confidence) + ",\"landmarks\":[";
            for (unsigned long p = 0; p < shape.num_parts(); ++p)
                e += std::string(p ? "," : "") + "[" + std::to_string(shape.part(p).x()) + "," + std::to_string(shape.part(p).y()) + "]";
            const drectangle& r = details.rect;
            e += "],\"chipRect\":{\"left\":" + num(r.left()) + ",\"top\":" + num(r.top()) + ",\"right\":" + num(r.right()) +
                 ",\"bottom\":" + num(r.bottom()) + "},\"chipAngle\":" + num(details.angle) +
                 ",\"chip\":" + json_string(chip_name);
            entries.push_back(e);
        }
        std::vector<matrix<float, 0, 1>> descriptors;
        if (!chips.empty()) descriptors = net(chips);
        std::cout << "{\"file\":" << json_string(fs::path(image_path).filename().string()) << ",\"width\":" << img.nc()
                  << ",\"height\":" << img.nr() << ",\"faces\":[";
        for (size_t i = 0; i < entries.size(); ++i)
            std::cout << (i ? "," : "") << entries[i] << ",\"descriptor\":" << json_vector(descriptors[i]) << "}";
        std::cout << "]}\n";
    }
    return 0;
}

int bench(const std::string& model, size_t batch, double seconds, const std::vector<std::string>& files) {
    face_network net;
    deserialize(model) >> net;
    std::vector<matrix<rgb_pixel>> chips;
    for (size_t i = 0; i < batch; ++i) chips.push_back(load_chip(files[i % files.size()]));
    net(chips, batch);  // warm-up: allocates every layer's buffers
    using clock = std::chrono::steady_clock;
    size_t runs = 0;
    const auto start = clock::now();
    // Process CPU time as well as wall time: on a shared machine the wall clock also counts the time
    // other processes held the cores.
    const std::clock_t cpu_start = std::clock();
    double elapsed = 0;
    while (elapsed < seconds || runs < 3) {
        net(chips, batch);
        ++runs;
        elapsed = std::chrono::duration<double>(clock::now() - start).count();
    }
    const double cpu = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
    std::cout << "{\"batch\":" << batch << ",\"runs\":" << runs << ",\"ms_per_face\":" << num(1000.0 * elapsed / (runs * batch))
              << ",\"cpu_ms_per_face\":" << num(1000.0 * cpu / (runs * batch)) << "}\n";
    return 0;
}

}  // namespace

int main(int argc, char** argv) try {
    const std::vector<std::string> args(argv + 1, argv + argc);
    if (args.size() >= 3 && args[0] == "export") return export_layers(args[1], args[2]);
    if (args.size() >= 3 && args[0] == "describe") return describe(args[1], {args.begin() + 2, args.end()});
    if (args.size() >= 5 && args[0] == "faces") return faces(args[1], args[2], args[3], {args.begin() + 4, args.end()});
    if (args.size() >= 5 && args[0] == "bench")
        return bench(args[1], std::stoul(args[2]), std::stod(args[3]), {args.begin() + 4, args.end()});
    std::cerr << "usage: dlib_face_tool export|describe|faces|bench ... (see the header of dlib_face_tool.cpp)\n";
    return 2;
} catch (const std::exception& e) {
    std::cerr << "dlib_face_tool: " << e.what() << "\n";
    return 1;
}
