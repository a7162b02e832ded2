// dlib's ResNet-29 face descriptor network, written out layer by layer so the serialized model
// (dlib_face_recognition_resnet_model_v1.dat) deserializes into it. It must stay identical, layer for
// layer, to the network dlib trained (the one in dlib's examples/dnn_face_recognition_ex.cpp):
// deserialization fails loudly if any layer type or order differs.
#pragma once
#include <dlib/dnn.h>

namespace facetool {
using namespace dlib;

// Two 3x3 convolutions, each followed by a (frozen batch-norm) affine layer, relu between them.
// Only the first convolution strides, so downsampling blocks halve the resolution once.
template <int filters, int stride, typename SUBNET>
using conv_pair = affine<con<filters, 3, 3, 1, 1, relu<affine<con<filters, 3, 3, stride, stride, SUBNET>>>>>;

// Identity shortcut: output = relu(input + conv_pair(input)).
template <int filters, typename SUBNET>
using res_block = relu<add_prev1<conv_pair<filters, 1, tag1<SUBNET>>>>;

// Downsampling shortcut: the input is 2x2 average-pooled and added to the strided conv_pair; add_prev
// zero-fills the smaller operand's missing channels and bottom/right border.
template <int filters, typename SUBNET>
using res_block_down = relu<add_prev2<avg_pool<2, 2, 2, 2, skip1<tag2<conv_pair<filters, 2, tag1<SUBNET>>>>>>>;

template <typename SUBNET> using stage_256_last = res_block_down<256, SUBNET>;
template <typename SUBNET> using stage_256 = res_block<256, res_block<256, res_block_down<256, SUBNET>>>;
template <typename SUBNET> using stage_128 = res_block<128, res_block<128, res_block_down<128, SUBNET>>>;
template <typename SUBNET> using stage_64 = res_block<64, res_block<64, res_block<64, res_block_down<64, SUBNET>>>>;
template <typename SUBNET> using stage_32 = res_block<32, res_block<32, res_block<32, SUBNET>>>;

using face_network = loss_metric<fc_no_bias<128, avg_pool_everything<
    stage_256_last<stage_256<stage_128<stage_64<stage_32<
    max_pool<3, 3, 2, 2, relu<affine<con<32, 7, 7, 2, 2,
    input_rgb_image_sized<150>>>>>>>>>>>>>;

}  // namespace facetool
