#include "run/partials.h"

#include "device/region_desc.h"
#include "util/error.h"

namespace zaccel {

emu::PartialContents layer_partial(const QLayer &l, const LayerIp &ip, uint32_t interface_id) {
  emu::IpImage image;
  image.id = ip.id;
  if (ip.id.weight_mode == DRM_ZACCEL_WEIGHTS_EMBEDDED) {
    image.weights = l.weights;
    image.bias = l.bias;
  }
  return {interface_id, {std::move(image)}};
}

std::vector<uint8_t> build_layer_partial(dev::Device &dev, const QLayer &l, const LayerIp &ip,
                                         uint32_t region) {
  const emu::RegionDesc desc = region_desc(dev, region);
  try {
    return emu::build_partial(layer_partial(l, ip, desc.interface_id), desc);
  } catch (const Error &e) {
    fail(e.err(), "layer ", l.name, ": ", e.what());
  }
}

}  // namespace zaccel
