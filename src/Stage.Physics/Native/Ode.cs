using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Stage.Physics.Native;

/// <summary>
/// P/Invoke declarations for the part of ODE 0.16's C API Stage uses. Names drop ODE's leading
/// <c>d</c>; the entry point keeps it. Handles (<c>dWorldID</c>, <c>dBodyID</c>, ...) are
/// <see cref="nint"/>; <c>dReal</c> is <see cref="double"/> (checked at start, see
/// <see cref="OdeLibrary"/>). Only <see cref="OdeLibrary"/> and the safe wrappers call these.
/// </summary>
internal static unsafe partial class Ode
{
    /// <summary>The name the imports use; <see cref="OdeLibrary"/> resolves it to libode.so.8.</summary>
    public const string Lib = "ode";

    // --- library ---
    [LibraryImport(Lib, EntryPoint = "dInitODE2")] public static partial int InitOde2(uint flags);
    [LibraryImport(Lib, EntryPoint = "dCloseODE")] public static partial void CloseOde();
    [LibraryImport(Lib, EntryPoint = "dAllocateODEDataForThread")] public static partial int AllocateOdeDataForThread(uint flags);
    [LibraryImport(Lib, EntryPoint = "dCheckConfiguration", StringMarshalling = StringMarshalling.Utf8)] public static partial int CheckConfiguration(string token);
    [LibraryImport(Lib, EntryPoint = "dGetConfiguration")] public static partial byte* GetConfiguration();
    [LibraryImport(Lib, EntryPoint = "dRandSetSeed")] public static partial void RandSetSeed(CULong seed);
    [LibraryImport(Lib, EntryPoint = "dRandGetSeed")] public static partial CULong RandGetSeed();

    // --- world ---
    [LibraryImport(Lib, EntryPoint = "dWorldCreate")] public static partial nint WorldCreate();
    [LibraryImport(Lib, EntryPoint = "dWorldDestroy")] public static partial void WorldDestroy(nint world);
    [LibraryImport(Lib, EntryPoint = "dWorldSetGravity")] public static partial void WorldSetGravity(nint world, double x, double y, double z);
    [LibraryImport(Lib, EntryPoint = "dWorldSetERP")] public static partial void WorldSetErp(nint world, double erp);
    [LibraryImport(Lib, EntryPoint = "dWorldSetCFM")] public static partial void WorldSetCfm(nint world, double cfm);
    [LibraryImport(Lib, EntryPoint = "dWorldQuickStep")] public static partial int WorldQuickStep(nint world, double stepSize);
    [LibraryImport(Lib, EntryPoint = "dWorldSetQuickStepNumIterations")] public static partial void WorldSetQuickStepNumIterations(nint world, int num);
    [LibraryImport(Lib, EntryPoint = "dWorldSetQuickStepW")] public static partial void WorldSetQuickStepW(nint world, double overRelaxation);
    [LibraryImport(Lib, EntryPoint = "dWorldSetContactMaxCorrectingVel")] public static partial void WorldSetContactMaxCorrectingVel(nint world, double vel);
    [LibraryImport(Lib, EntryPoint = "dWorldSetContactSurfaceLayer")] public static partial void WorldSetContactSurfaceLayer(nint world, double depth);
    [LibraryImport(Lib, EntryPoint = "dWorldSetAutoDisableFlag")] public static partial void WorldSetAutoDisableFlag(nint world, int flag);
    [LibraryImport(Lib, EntryPoint = "dWorldSetLinearDamping")] public static partial void WorldSetLinearDamping(nint world, double scale);
    [LibraryImport(Lib, EntryPoint = "dWorldSetAngularDamping")] public static partial void WorldSetAngularDamping(nint world, double scale);

    // --- bodies ---
    [LibraryImport(Lib, EntryPoint = "dBodyCreate")] public static partial nint BodyCreate(nint world);
    [LibraryImport(Lib, EntryPoint = "dBodyDestroy")] public static partial void BodyDestroy(nint body);
    [LibraryImport(Lib, EntryPoint = "dBodySetData")] public static partial void BodySetData(nint body, nint data);
    [LibraryImport(Lib, EntryPoint = "dBodyGetData")] [SuppressGCTransition] public static partial nint BodyGetData(nint body);
    [LibraryImport(Lib, EntryPoint = "dBodySetPosition")] [SuppressGCTransition] public static partial void BodySetPosition(nint body, double x, double y, double z);
    [LibraryImport(Lib, EntryPoint = "dBodySetQuaternion")] [SuppressGCTransition] public static partial void BodySetQuaternion(nint body, double* q);
    [LibraryImport(Lib, EntryPoint = "dBodySetLinearVel")] [SuppressGCTransition] public static partial void BodySetLinearVel(nint body, double x, double y, double z);
    [LibraryImport(Lib, EntryPoint = "dBodySetAngularVel")] [SuppressGCTransition] public static partial void BodySetAngularVel(nint body, double x, double y, double z);
    [LibraryImport(Lib, EntryPoint = "dBodyGetPosition")] [SuppressGCTransition] public static partial double* BodyGetPosition(nint body);
    [LibraryImport(Lib, EntryPoint = "dBodyGetRotation")] [SuppressGCTransition] public static partial double* BodyGetRotation(nint body);
    [LibraryImport(Lib, EntryPoint = "dBodyGetQuaternion")] [SuppressGCTransition] public static partial double* BodyGetQuaternion(nint body);
    [LibraryImport(Lib, EntryPoint = "dBodyGetLinearVel")] [SuppressGCTransition] public static partial double* BodyGetLinearVel(nint body);
    [LibraryImport(Lib, EntryPoint = "dBodyGetAngularVel")] [SuppressGCTransition] public static partial double* BodyGetAngularVel(nint body);
    [LibraryImport(Lib, EntryPoint = "dBodySetMass")] public static partial void BodySetMass(nint body, DMass* mass);
    [LibraryImport(Lib, EntryPoint = "dBodyAddForce")] public static partial void BodyAddForce(nint body, double x, double y, double z);
    [LibraryImport(Lib, EntryPoint = "dBodyAddTorque")] public static partial void BodyAddTorque(nint body, double x, double y, double z);
    [LibraryImport(Lib, EntryPoint = "dBodyAddForceAtPos")] public static partial void BodyAddForceAtPos(nint body, double fx, double fy, double fz, double px, double py, double pz);
    [LibraryImport(Lib, EntryPoint = "dBodyGetForce")] [SuppressGCTransition] public static partial double* BodyGetForce(nint body);
    [LibraryImport(Lib, EntryPoint = "dBodyGetTorque")] [SuppressGCTransition] public static partial double* BodyGetTorque(nint body);
    [LibraryImport(Lib, EntryPoint = "dBodySetForce")] [SuppressGCTransition] public static partial void BodySetForce(nint body, double x, double y, double z);
    [LibraryImport(Lib, EntryPoint = "dBodySetTorque")] [SuppressGCTransition] public static partial void BodySetTorque(nint body, double x, double y, double z);
    [LibraryImport(Lib, EntryPoint = "dBodyEnable")] [SuppressGCTransition] public static partial void BodyEnable(nint body);
    [LibraryImport(Lib, EntryPoint = "dBodyDisable")] [SuppressGCTransition] public static partial void BodyDisable(nint body);
    [LibraryImport(Lib, EntryPoint = "dBodyIsEnabled")] [SuppressGCTransition] public static partial int BodyIsEnabled(nint body);
    [LibraryImport(Lib, EntryPoint = "dBodySetKinematic")] public static partial void BodySetKinematic(nint body);
    [LibraryImport(Lib, EntryPoint = "dBodySetDynamic")] public static partial void BodySetDynamic(nint body);
    [LibraryImport(Lib, EntryPoint = "dBodySetGravityMode")] public static partial void BodySetGravityMode(nint body, int mode);
    [LibraryImport(Lib, EntryPoint = "dBodySetAutoDisableFlag")] public static partial void BodySetAutoDisableFlag(nint body, int flag);
    [LibraryImport(Lib, EntryPoint = "dBodySetLinearDamping")] public static partial void BodySetLinearDamping(nint body, double scale);
    [LibraryImport(Lib, EntryPoint = "dBodySetAngularDamping")] public static partial void BodySetAngularDamping(nint body, double scale);

    // --- mass and rotation helpers ---
    [LibraryImport(Lib, EntryPoint = "dMassSetBoxTotal")] public static partial void MassSetBoxTotal(DMass* mass, double total, double lx, double ly, double lz);
    [LibraryImport(Lib, EntryPoint = "dMassSetSphereTotal")] public static partial void MassSetSphereTotal(DMass* mass, double total, double radius);
    [LibraryImport(Lib, EntryPoint = "dMassSetCapsuleTotal")] public static partial void MassSetCapsuleTotal(DMass* mass, double total, int direction, double radius, double length);
    [LibraryImport(Lib, EntryPoint = "dMassSetCylinderTotal")] public static partial void MassSetCylinderTotal(DMass* mass, double total, int direction, double radius, double length);
    [LibraryImport(Lib, EntryPoint = "dMassCheck")] public static partial int MassCheck(DMass* mass);
    [LibraryImport(Lib, EntryPoint = "dRfromQ")] [SuppressGCTransition] public static partial void RFromQ(double* r, double* q);

    // --- joints ---
    [LibraryImport(Lib, EntryPoint = "dJointCreateHinge")] public static partial nint JointCreateHinge(nint world, nint group);
    [LibraryImport(Lib, EntryPoint = "dJointCreateBall")] public static partial nint JointCreateBall(nint world, nint group);
    [LibraryImport(Lib, EntryPoint = "dJointCreateFixed")] public static partial nint JointCreateFixed(nint world, nint group);
    [LibraryImport(Lib, EntryPoint = "dJointCreateContact")] public static partial nint JointCreateContact(nint world, nint group, DContact* contact);
    [LibraryImport(Lib, EntryPoint = "dJointDestroy")] public static partial void JointDestroy(nint joint);
    [LibraryImport(Lib, EntryPoint = "dJointGroupCreate")] public static partial nint JointGroupCreate(int maxSize);
    [LibraryImport(Lib, EntryPoint = "dJointGroupDestroy")] public static partial void JointGroupDestroy(nint group);
    [LibraryImport(Lib, EntryPoint = "dJointGroupEmpty")] public static partial void JointGroupEmpty(nint group);
    [LibraryImport(Lib, EntryPoint = "dJointAttach")] public static partial void JointAttach(nint joint, nint body1, nint body2);
    [LibraryImport(Lib, EntryPoint = "dJointSetFeedback")] public static partial void JointSetFeedback(nint joint, DJointFeedback* feedback);
    [LibraryImport(Lib, EntryPoint = "dJointEnable")] [SuppressGCTransition] public static partial void JointEnable(nint joint);
    [LibraryImport(Lib, EntryPoint = "dJointDisable")] [SuppressGCTransition] public static partial void JointDisable(nint joint);
    [LibraryImport(Lib, EntryPoint = "dJointIsEnabled")] [SuppressGCTransition] public static partial int JointIsEnabled(nint joint);
    [LibraryImport(Lib, EntryPoint = "dJointSetHingeAnchor")] public static partial void JointSetHingeAnchor(nint joint, double x, double y, double z);
    [LibraryImport(Lib, EntryPoint = "dJointSetHingeAxis")] public static partial void JointSetHingeAxis(nint joint, double x, double y, double z);
    [LibraryImport(Lib, EntryPoint = "dJointGetHingeAngle")] public static partial double JointGetHingeAngle(nint joint);
    [LibraryImport(Lib, EntryPoint = "dJointSetBallAnchor")] public static partial void JointSetBallAnchor(nint joint, double x, double y, double z);
    [LibraryImport(Lib, EntryPoint = "dJointSetFixed")] public static partial void JointSetFixed(nint joint);

    // --- collision ---
    [LibraryImport(Lib, EntryPoint = "dHashSpaceCreate")] public static partial nint HashSpaceCreate(nint parentSpace);
    [LibraryImport(Lib, EntryPoint = "dHashSpaceSetLevels")] public static partial void HashSpaceSetLevels(nint space, int minLevel, int maxLevel);
    [LibraryImport(Lib, EntryPoint = "dSpaceDestroy")] public static partial void SpaceDestroy(nint space);
    [LibraryImport(Lib, EntryPoint = "dSpaceSetCleanup")] public static partial void SpaceSetCleanup(nint space, int mode);
    [LibraryImport(Lib, EntryPoint = "dSpaceAdd")] [SuppressGCTransition] public static partial void SpaceAdd(nint space, nint geom);
    [LibraryImport(Lib, EntryPoint = "dSpaceRemove")] [SuppressGCTransition] public static partial void SpaceRemove(nint space, nint geom);
    [LibraryImport(Lib, EntryPoint = "dSpaceGetNumGeoms")] [SuppressGCTransition] public static partial int SpaceGetNumGeoms(nint space);
    [LibraryImport(Lib, EntryPoint = "dSpaceGetGeom")] [SuppressGCTransition] public static partial nint SpaceGetGeom(nint space, int index);
    [LibraryImport(Lib, EntryPoint = "dSpaceCollide")] public static partial void SpaceCollide(nint space, nint data, delegate* unmanaged[Cdecl]<nint, nint, nint, void> callback);
    [LibraryImport(Lib, EntryPoint = "dCollide")] public static partial int Collide(nint o1, nint o2, int flags, DContactGeom* contact, int skip);
    [LibraryImport(Lib, EntryPoint = "dGeomDestroy")] public static partial void GeomDestroy(nint geom);
    [LibraryImport(Lib, EntryPoint = "dGeomSetData")] public static partial void GeomSetData(nint geom, nint data);
    [LibraryImport(Lib, EntryPoint = "dGeomGetData")] [SuppressGCTransition] public static partial nint GeomGetData(nint geom);
    [LibraryImport(Lib, EntryPoint = "dGeomSetBody")] public static partial void GeomSetBody(nint geom, nint body);
    [LibraryImport(Lib, EntryPoint = "dGeomGetBody")] [SuppressGCTransition] public static partial nint GeomGetBody(nint geom);
    [LibraryImport(Lib, EntryPoint = "dGeomSetPosition")] public static partial void GeomSetPosition(nint geom, double x, double y, double z);
    [LibraryImport(Lib, EntryPoint = "dGeomSetQuaternion")] public static partial void GeomSetQuaternion(nint geom, double* q);
    [LibraryImport(Lib, EntryPoint = "dGeomGetPosition")] public static partial double* GeomGetPosition(nint geom);
    [LibraryImport(Lib, EntryPoint = "dGeomGetQuaternion")] public static partial void GeomGetQuaternion(nint geom, double* result);
    [LibraryImport(Lib, EntryPoint = "dGeomSetOffsetPosition")] public static partial void GeomSetOffsetPosition(nint geom, double x, double y, double z);
    [LibraryImport(Lib, EntryPoint = "dGeomSetOffsetQuaternion")] public static partial void GeomSetOffsetQuaternion(nint geom, double* q);
    [LibraryImport(Lib, EntryPoint = "dCreateBox")] public static partial nint CreateBox(nint space, double lx, double ly, double lz);
    [LibraryImport(Lib, EntryPoint = "dCreateSphere")] public static partial nint CreateSphere(nint space, double radius);
    [LibraryImport(Lib, EntryPoint = "dCreateCapsule")] public static partial nint CreateCapsule(nint space, double radius, double length);
    [LibraryImport(Lib, EntryPoint = "dCreateCylinder")] public static partial nint CreateCylinder(nint space, double radius, double length);
    [LibraryImport(Lib, EntryPoint = "dCreatePlane")] public static partial nint CreatePlane(nint space, double a, double b, double c, double d);
    [LibraryImport(Lib, EntryPoint = "dCreateHeightfield")] public static partial nint CreateHeightfield(nint space, nint data, int placeable);
    [LibraryImport(Lib, EntryPoint = "dGeomHeightfieldDataCreate")] public static partial nint GeomHeightfieldDataCreate();
    [LibraryImport(Lib, EntryPoint = "dGeomHeightfieldDataDestroy")] public static partial void GeomHeightfieldDataDestroy(nint data);
    [LibraryImport(Lib, EntryPoint = "dGeomHeightfieldDataBuildDouble")]
    public static partial void GeomHeightfieldDataBuildDouble(nint data, double* heights, int copy, double width, double depth,
        int widthSamples, int depthSamples, double scale, double offset, double thickness, int wrap);
    [LibraryImport(Lib, EntryPoint = "dGeomHeightfieldDataSetBounds")] public static partial void GeomHeightfieldDataSetBounds(nint data, double minHeight, double maxHeight);
}
