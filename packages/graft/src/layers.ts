// graftjs/layers: graft's preprocessing and augmentation layer classes up front (see @graftjs/core/layers)
import '@graftjs/core/layers';
